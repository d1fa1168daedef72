{% raw %}
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const panel = document.getElementById("panel");
  const cells = {};
  document.querySelectorAll("td.cell[data-field]").forEach((td) => { cells[td.dataset.field] = td; });
  const methodLabels = { rule: "规则", llm: "模型", "rule-llm": "规则+模型", human: "人工", none: "未读出" };
  const resolutionLabels = { passes: "更正后成立", inconsistent_at_source: "原文即不一致", settled: "已人工确定", open: "待核" };
  let current = null; // "field id" or "check:<id>"
  const bar = document.querySelector(".bar");
  const fitBar = () => document.documentElement.style.setProperty("--bar", bar.offsetHeight + "px");
  fitBar();
  window.addEventListener("resize", fitBar);
  let pageIndex = 0;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) {
        node.append(child instanceof Node ? child : String(child));
      }
    }
    return node;
  }
  const shown = (value) => (value === null || value === undefined ? "—" : String(value));
  const label = (f) => [f.row, f.column].filter(Boolean).join(" · ");

  function clearSelection() {
    document.querySelectorAll(".selected, .in-check").forEach((n) => n.classList.remove("selected", "in-check"));
    document.querySelectorAll("mark.active").forEach((m) => m.classList.remove("active"));
  }

  function selectField(id, options) {
    const field = data.fields[id];
    if (!field) return;
    clearSelection();
    current = id;
    const td = cells[id];
    if (td) {
      td.classList.add("selected");
      td.scrollIntoView({ block: "nearest", inline: "nearest" });
      td.focus({ preventScroll: true });
    }
    history.replaceState(null, "", "#f=" + encodeURIComponent(id));
    panel.replaceChildren(...fieldPanel(id, field));
    showSource(id, field);
    if (options && options.edit) focusEditor();
  }

  function selectCheck(id) {
    const check = data.checks[id];
    clearSelection();
    current = "check:" + id;
    document.querySelectorAll(`[data-check="${CSS.escape(id)}"]`).forEach((n) => n.classList.add("selected"));
    const fields = check ? check.fields : [];
    fields.forEach((f) => cells[f] && cells[f].classList.add("in-check"));
    const first = fields.map((f) => cells[f]).find(Boolean);
    if (first) first.scrollIntoView({ block: "nearest" });
    history.replaceState(null, "", "#c=" + encodeURIComponent(id));
    panel.replaceChildren(...checkPanel(id, check));
    const shownField = fields.find((f) => data.fields[f] && data.fields[f].evidence);
    if (shownField) showSource(shownField, data.fields[shownField]);
  }

  function fieldPanel(id, field) {
    const parts = [el("h3", {}, label(field)), el("div", { class: "hint" }, id)];
    parts.push(el("p", {}, el("span", { class: "value" }, field.shown), "  ",
      el("span", { class: "m-" + field.method }, methodLabels[field.method] || field.method)));
    if (field.evidence) {
      parts.push(el("p", {}, "原文：", el("span", { class: "quote" }, field.evidence.text || "（空）"),
        el("span", { class: "hint" }, `  第 ${field.evidence.start}–${field.evidence.end} 字符` +
          (field.boxes.length ? `，第 ${field.boxes[0][0]} 页` : ""))));
    } else if (field.value === null) {
      parts.push(el("p", { class: "hint" }, field.doubt ? "未读出：原文中没有找到这一格。" : "报告中这一格为空（未填写或写作 /、—）。"));
    } else {
      parts.push(el("p", { class: "hint" }, "这个值没有原文依据。"));
    }
    if (field.human) {
      const h = field.human;
      parts.push(el("p", {}, (h.action === "corrected" ? "人工更正：" : "人工确认如印：") +
        `提取值 ${shown(h.original)}（${h.original_method ? methodLabels[h.original_method.replace("+", "-")] || h.original_method : "未读出"}）→ ${shown(h.value)}`,
        el("br"), el("span", { class: "hint" }, `${h.by} · ${h.at}${h.reason ? " · 理由：" + h.reason : ""}`)));
    }
    if (field.checks.length) {
      parts.push(el("div", {}, "相关检查：", el("ul", {}, field.checks.map((c) => checkLine(c)))));
    }
    if (data.editable) parts.push(fieldForm(id, field));
    return parts;
  }

  function checkLine(id) {
    const check = data.checks[id];
    return el("li", {}, el("a", { href: "#c=" + encodeURIComponent(id), onclick: (e) => { e.preventDefault(); selectCheck(id); } },
      check.title), " ", el("span", { class: "hint" }, check.detail.length > 160 ? check.detail.slice(0, 160) + "…" : check.detail),
      " ", el("b", {}, resolutionLabels[check.resolution]));
  }

  function checkPanel(id, check) {
    if (!check) return [el("h3", {}, id), el("p", {}, "成立。")];
    const parts = [el("h3", {}, check.title), el("div", { class: "hint" }, id),
      el("p", {}, el("b", {}, resolutionLabels[check.resolution])),
      el("p", { class: "quote" }, check.detail)];
    const fields = check.fields.filter((f) => data.fields[f]);
    if (fields.length && fields.length <= 40) {
      parts.push(el("ul", {}, fields.map((f) => el("li", {},
        el("a", { href: "#f=" + encodeURIComponent(f), onclick: (e) => { e.preventDefault(); selectField(f); } }, label(data.fields[f])),
        " = ", data.fields[f].shown))));
    } else if (fields.length) {
      parts.push(el("p", { class: "hint" }, `涉及 ${fields.length} 个单元格，已在表中标出。`));
    }
    if (data.editable) parts.push(markForm(id, check));
    return parts;
  }

  // --- the source: the text, and a PDF's page with the value's box -----------------------------
  function showSource(id, field) {
    const mark = document.getElementById("src-" + id);
    if (mark) {
      mark.classList.add("active");
      if (!document.getElementById("text-view").classList.contains("hidden")) mark.scrollIntoView({ block: "center" });
    }
    if (data.pages.length && field.boxes.length) {
      const index = data.pages.findIndex((p) => p.number === field.boxes[0][0]);
      if (index >= 0) showPage(index, field.boxes);
    } else if (data.pages.length) {
      drawBoxes([]);
    }
  }

  function showPage(index, boxes) {
    const img = document.getElementById("page-img");
    if (!img) return;
    pageIndex = Math.max(0, Math.min(index, data.pages.length - 1));
    const page = data.pages[pageIndex];
    if (img.getAttribute("src") !== page.src) img.setAttribute("src", page.src);
    document.getElementById("page-no").textContent = `第 ${page.number} 页（${pageIndex + 1}/${data.pages.length}）`;
    drawBoxes((boxes || []).filter((b) => b[0] === page.number));
  }

  function drawBoxes(boxes) {
    const layer = document.getElementById("page-boxes");
    if (!layer) return;
    layer.replaceChildren(...boxes.map((b) => el("div", {
      class: "box value-box",
      style: `left:${b[1] * 100}%;top:${b[2] * 100}%;width:${b[3] * 100}%;height:${b[4] * 100}%`,
    })));
    const first = layer.firstChild;
    if (first) {
      const img = document.getElementById("page-img");
      const place = () => first.scrollIntoView({ block: "center", inline: "center" });
      if (img.complete) place(); else img.addEventListener("load", place, { once: true });
    }
  }

  document.querySelectorAll(".tabs button[data-tab]").forEach((button) => {
    button.addEventListener("click", () => {
      document.querySelectorAll(".tabs button[data-tab]").forEach((b) => b.classList.toggle("active", b === button));
      document.querySelectorAll(".source .tab").forEach((t) => t.classList.toggle("hidden", t.id !== button.dataset.tab));
      const active = document.querySelector("mark.active");
      if (active && button.dataset.tab === "text-view") active.scrollIntoView({ block: "center" });
    });
  });
  const prev = document.getElementById("prev-page");
  const next = document.getElementById("next-page");
  if (prev) prev.addEventListener("click", () => showPage(pageIndex - 1, current && data.fields[current] ? data.fields[current].boxes : []));
  if (next) next.addEventListener("click", () => showPage(pageIndex + 1, current && data.fields[current] ? data.fields[current].boxes : []));
  if (data.pages.length) showPage(0, []);
  let zoom = Number(localStorage.getItem("page-zoom")) || 1;
  function setZoom(factor) {
    const page = document.querySelector(".page");
    if (!page) return;
    zoom = Math.max(1, Math.min(4, factor));
    localStorage.setItem("page-zoom", String(zoom));
    page.style.width = 96 * zoom + "%";
    const box = document.querySelector("#page-boxes .box");
    if (box) box.scrollIntoView({ block: "center", inline: "center" });
  }
  setZoom(zoom);
  const zoomIn = document.getElementById("zoom-in");
  const zoomOut = document.getElementById("zoom-out");
  if (zoomIn) zoomIn.addEventListener("click", () => setZoom(zoom * 1.5));
  if (zoomOut) zoomOut.addEventListener("click", () => setZoom(zoom / 1.5));

  // --- moving about: clicks, the next doubtful cell, arrows --------------------------------------
  document.addEventListener("click", (event) => {
    const td = event.target.closest("td.cell[data-field]");
    if (td) return selectField(td.dataset.field);
    const mark = event.target.closest("mark[data-field]");
    if (mark) return selectField(mark.dataset.field);
    const check = event.target.closest("[data-check]");
    if (check && !event.target.closest("details > summary")) selectCheck(check.dataset.check);
  });

  function step(direction) {
    const doubts = data.doubts;
    if (!doubts.length) return;
    const at = doubts.indexOf(current);
    let index;
    if (at >= 0) index = (at + direction + doubts.length) % doubts.length;
    else {
      const position = data.order.indexOf(current);
      index = direction > 0 ? doubts.findIndex((d) => data.order.indexOf(d) > position) : -1;
      if (index < 0) index = direction > 0 ? 0 : doubts.length - 1;
    }
    const target = doubts[index];
    if (target.startsWith("check:")) selectCheck(target.slice(6)); else selectField(target);
  }
  const nextDoubt = document.getElementById("next-doubt");
  if (nextDoubt) nextDoubt.addEventListener("click", () => step(1));

  function move(td, dx, dy) {
    const row = td.parentElement;
    if (dx) {
      let sibling = dx > 0 ? td.nextElementSibling : td.previousElementSibling;
      while (sibling && !sibling.matches("td.cell")) sibling = dx > 0 ? sibling.nextElementSibling : sibling.previousElementSibling;
      return sibling;
    }
    let other = dy > 0 ? row.nextElementSibling : row.previousElementSibling;
    while (other && !(other.children[td.cellIndex] && other.children[td.cellIndex].matches("td.cell"))) {
      other = dy > 0 ? other.nextElementSibling : other.previousElementSibling;
    }
    return other ? other.children[td.cellIndex] : null;
  }

  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, textarea, select")) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const td = current && cells[current];
    const arrows = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (event.key === "n" || event.key === "j") { step(1); event.preventDefault(); }
    else if (event.key === "p" || event.key === "k") { step(-1); event.preventDefault(); }
    else if (arrows[event.key] && td) {
      const target = move(td, ...arrows[event.key]);
      if (target) selectField(target.dataset.field);
      event.preventDefault();
    } else if (event.key === "Enter" && td && data.editable) { focusEditor(); event.preventDefault(); }
    else if (event.key === "c" && td && data.editable) { submitField(current, "confirm"); event.preventDefault(); }
    else if (event.key === "Escape") { clearSelection(); current = null; }
  });

  // --- corrections (the workspace) ---------------------------------------------------------------
  const reviewer = document.getElementById("reviewer");
  if (reviewer) {
    reviewer.value = localStorage.getItem("reviewer") || "";
    reviewer.addEventListener("change", () => localStorage.setItem("reviewer", reviewer.value.trim()));
  }
  const reasonKey = "reason " + (data.api || "");  // a reason is carried from cell to cell of one report only
  let lastReason = sessionStorage.getItem(reasonKey) || "";

  function focusEditor() {
    const input = panel.querySelector("input[name=value]");
    if (input) { input.focus(); input.select(); }
  }

  function selectedSpan() {
    const text = document.getElementById("source-text");
    const selection = window.getSelection();
    if (!text || !selection.rangeCount || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) return null;
    const before = document.createRange();
    before.setStart(text, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const start = before.toString().length;
    return { start: start, end: start + range.toString().length, text: range.toString() };
  }

  function fieldForm(id, field) {
    const error = el("div", { class: "error", role: "alert" });
    const value = el("input", { name: "value", value: field.value === null ? "" : String(field.value), autocomplete: "off" });
    const reason = el("input", { name: "reason", value: lastReason, placeholder: "例如：原文第 3 页此格印作 7" });
    const span = selectedSpan();
    const form = el("form", { onsubmit: (e) => { e.preventDefault(); submitField(id, "correct", form); } },
      el("label", { for: "value" }, "值"), value,
      el("label", { for: "reason" }, "理由"), reason,
      span ? el("span", { class: "hint", style: "grid-column: 1 / 3" }, `以选中的原文「${span.text.slice(0, 40)}」为依据（第 ${span.start}–${span.end} 字符）`) : null,
      el("div", { class: "buttons" },
        el("button", { type: "submit", class: "primary", title: "保存更正（Enter）" }, "更正"),
        el("button", { type: "button", title: "原文如此印（键 c）", onclick: () => submitField(id, "confirm", form) }, "确认无误（如印）"),
        field.human ? el("button", { type: "button", onclick: () => submitField(id, "withdraw", form) }, "撤销人工值") : null),
      el("span", { class: "hint", style: "grid-column: 1 / 3" }, "留空表示原文此格为空。选中右侧原文中的文字，可把它记为这个值的依据。"),
      error);
    form.span = span;
    return form;
  }

  function markForm(id, check) {
    const error = el("div", { class: "error", role: "alert" });
    const reason = el("input", { name: "reason", value: lastReason, placeholder: "例如：原文总计印作 805，各项均为空" });
    const marked = check.resolution === "inconsistent_at_source";
    const form = el("form", { onsubmit: (e) => { e.preventDefault(); send({ action: marked ? "withdraw" : "inconsistent", check: id }, form); } },
      el("label", {}, "理由"), reason,
      el("div", { class: "buttons" }, el("button", { type: "submit", class: marked ? "" : "primary" },
        marked ? "撤销“原文即不一致”" : "原文即不一致")),
      el("span", { class: "hint", style: "grid-column: 1 / 3" }, "各格已按原文读对、但报告本身的数字不平衡时使用。"),
      error);
    return form;
  }

  function submitField(id, action, form) {
    form = form || panel.querySelector("form");
    const body = { action: action, field: id };
    if (action === "correct") {
      body.value = form.querySelector("input[name=value]").value;
      if (form.span) { body.start = form.span.start; body.end = form.span.end; }
    }
    send(body, form);
  }

  async function send(body, form) {
    const error = form ? form.querySelector(".error") : null;
    const by = reviewer ? reviewer.value.trim() : "";
    if (!by) {
      if (error) error.textContent = "请先在页首填写审核人姓名。";
      if (reviewer) reviewer.focus();
      return;
    }
    const reasonInput = form ? form.querySelector("input[name=reason]") : null;
    body.reason = reasonInput ? reasonInput.value.trim() : "";
    body.by = by;
    localStorage.setItem("reviewer", by);
    sessionStorage.setItem(reasonKey, body.reason);
    const reply = await fetch(data.api + "/corrections", {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
    });
    if (!reply.ok) {
      const answer = await reply.json().catch(() => ({ detail: reply.statusText }));
      if (error) error.textContent = typeof answer.detail === "string" ? answer.detail : JSON.stringify(answer.detail);
      return;
    }
    const answer = await reply.json();
    sessionStorage.setItem("after", body.field && body.action !== "withdraw" ? "next" : "");
    location.hash = body.field ? "f=" + encodeURIComponent(body.field) : "c=" + encodeURIComponent(body.check || "");
    location.reload();
    return answer;
  }

  const markReport = document.getElementById("mark-report");
  if (markReport) {
    markReport.addEventListener("click", () => {
      clearSelection();
      current = null;
      const marked = data.report_marked;
      const error = el("div", { class: "error", role: "alert" });
      const reason = el("input", { name: "reason", value: lastReason, placeholder: "例如：表三总计列在各办理结果行均为空" });
      const form = el("form", { onsubmit: (e) => { e.preventDefault(); send({ action: marked ? "withdraw" : "inconsistent" }, form); } },
        el("label", {}, "理由"), reason,
        el("div", { class: "buttons" }, el("button", { type: "submit", class: "primary" }, marked ? "撤销整份报告的标记" : "整份报告原文不一致")),
        error);
      panel.replaceChildren(el("h3", {}, "整份报告原文不一致"),
        el("p", {}, "所有仍不成立的等式都按原文记录为“原文即不一致”（读取、依据类的存疑仍需逐格确认）。"), form);
      reason.focus();
    });
  }

  // --- on opening: the cell in the address, or the next doubtful one after a saved correction ----
  const wanted = decodeURIComponent(location.hash.slice(1));
  const after = sessionStorage.getItem("after");
  sessionStorage.removeItem("after");
  if (wanted.startsWith("f=") && data.fields[wanted.slice(2)]) {
    selectField(wanted.slice(2));
    if (after === "next" && data.doubts.length) step(1);
  } else if (wanted.startsWith("c=") && wanted.length > 2) {
    selectCheck(wanted.slice(2));
  }
})();
{% endraw %}
