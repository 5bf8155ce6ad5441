/* Huiqi operator console for 12345 hotline staff: search clauses as you type, copy a citation,
 * and see what Huiqi would answer the caller. Keyboard first: / ↑ ↓ Enter c Esc.
 * Plain JavaScript; server text only ever reaches the page through textContent.
 */
(() => {
  "use strict";

  const KEY_STORE = "huiqi.apiKey";
  const SEARCH_DELAY_MS = 250;
  const TOP_K = 10;
  const LEVELS = ["国家", "省", "市", "县"];
  // console.js is served from BASE/console/console.js; the API lives at BASE/v1/….
  const API_BASE = new URL("..", document.currentScript.src).href.replace(/\/+$/, "");

  const STATUS_MESSAGES = {
    401: "需要 API 密钥：请在右上角“API 密钥”中填写后重试。",
    403: "API 密钥无效：请在右上角“API 密钥”中重新填写。",
    429: "请求太频繁，请稍等片刻再试。",
    503: "惠企服务正在启动，请稍后再试。",
  };

  const $ = (id) => document.getElementById(id);
  const q = $("q");
  const hitsList = $("hits");
  const searchStatus = $("search-status");
  const answerBox = $("answer");
  const copyAnswer = $("copy-answer");
  const selects = Array.from(document.querySelectorAll("select[data-filter]"));

  let hits = [];
  let selected = -1;
  let policies = [];
  let searchTimer = 0;
  let searchRun = { seq: 0, controller: null };
  let askRun = { seq: 0, controller: null, key: "" };
  let answerText = "";
  let keyInMemory = ""; // used when the browser refuses localStorage

  // ---- helpers --------------------------------------------------------------------------------

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
      else el.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) el.append(child);
    }
    return el;
  }

  /** 《title》（文号）clause：text — the form operators paste into tickets and read to callers. */
  function reference(item) {
    const doc = item.doc_number ? `（${item.doc_number}）` : "";
    return `《${item.title}》${doc}${item.clause || item.path || ""}：${item.text}`;
  }

  function citeLine(item) {
    const doc = item.doc_number ? `（${item.doc_number}）` : "";
    return `《${item.title}》${doc}${item.clause || item.path || ""}`;
  }

  /**
   * Marks the query's words in ``text``: whole space-separated words, and any stretch of three
   * characters or more from them (so 高新技术企业 marks, but a bare 企业 inside it does not).
   */
  function highlighted(text, query) {
    const words = query.split(/[\s\p{P}]+/u).filter((w) => w.length >= 2);
    const matches = (piece) =>
      words.some((w) => w === piece || (piece.length >= 3 && w.includes(piece)));
    const out = [];
    let plain = "";
    for (let i = 0; i < text.length; ) {
      let len = 0;
      for (let l = Math.min(16, text.length - i); l >= 2; l--) {
        if (matches(text.substr(i, l))) {
          len = l;
          break;
        }
      }
      if (len) {
        if (plain) out.push(plain);
        plain = "";
        out.push(h("mark", {}, text.substr(i, len)));
        i += len;
      } else {
        plain += text[i];
        i += 1;
      }
    }
    if (plain) out.push(plain);
    return out;
  }

  function editable(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  // ---- API ------------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(message, status) {
      super(message);
      this.status = status;
    }
  }

  function apiKey() {
    try {
      return localStorage.getItem(KEY_STORE) || keyInMemory;
    } catch (_) {
      return keyInMemory;
    }
  }

  async function api(method, path, body, signal) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const key = apiKey();
    if (key) headers.Authorization = "Bearer " + key;
    let res;
    try {
      res = await fetch(API_BASE + path, {
        method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      if (err.name === "AbortError") throw err;
      throw new ApiError("连不上惠企服务，请检查网络或联系管理员。", 0);
    }
    if (res.ok) return res.json();
    let message = "";
    try {
      const data = await res.json();
      message = (data.error && data.error.message) || "";
    } catch (_) {
      /* not JSON */
    }
    if (res.status === 401 || res.status === 403) $("key-box").open = true;
    const chinese = /[\u4e00-\u9fff]/.test(message) ? message : "";
    throw new ApiError(STATUS_MESSAGES[res.status] || chinese || `服务出错（${res.status}）：${message || "请稍后再试。"}`, res.status);
  }

  function filters() {
    const out = {};
    for (const select of selects) if (select.value) out[select.dataset.filter] = select.value;
    return out;
  }

  // ---- clipboard ------------------------------------------------------------------------------

  async function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        return true;
      } catch (_) {
        /* permission refused: try the old way */
      }
    }
    // Plain-http intranet pages have no navigator.clipboard; a selected textarea still copies.
    const back = document.activeElement;
    const area = h("textarea", { class: "copy-fallback", readonly: true, "aria-hidden": "true", tabindex: "-1" });
    area.value = text;
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (_) {
      ok = false;
    }
    area.remove();
    if (back && back.focus) back.focus();
    return ok;
  }

  async function copyWithNote(text, note) {
    const ok = await copy(text);
    note.textContent = ok ? "已复制" : "复制失败，请选中文字后按 Ctrl+C";
    note.classList.toggle("failed", !ok);
    clearTimeout(note._timer);
    note._timer = setTimeout(() => { note.textContent = ""; }, 2500);
    return ok;
  }

  // ---- filters from GET /v1/policies ------------------------------------------------------------

  function fillSelect(select, values, label) {
    const keep = select.value;
    const options = values.map(([value, text, title]) => h("option", { value, title: title || null }, text));
    select.replaceChildren(h("option", { value: "" }, label), ...options);
    select.value = values.some(([value]) => value === keep) ? keep : "";
  }

  function unique(items) {
    return Array.from(new Set(items.filter(Boolean))).sort((a, b) => a.localeCompare(b, "zh-CN"));
  }

  /** Region, issuer and 文号 options narrow to the policies the chosen level (and region) allow. */
  function refreshFilterOptions() {
    const level = $("f-level").value;
    const region = $("f-region").value;
    const atLevel = policies.filter((p) => !level || p.level === level);
    const inRegion = atLevel.filter((p) => !region || p.region === region);
    const levels = LEVELS.filter((l) => l !== "县" || policies.some((p) => p.level === l));
    fillSelect($("f-level"), levels.map((l) => [l, l]), "全部层级");
    fillSelect($("f-region"), unique(atLevel.map((p) => p.region)).map((r) => [r, r]), "全部地区");
    fillSelect($("f-issuer"), unique(inRegion.map((p) => p.issuer)).map((i) => [i, i.length > 24 ? i.slice(0, 23) + "…" : i, i]), "全部机关");
    const docs = new Map();
    for (const p of inRegion) if (p.doc_number && !docs.has(p.doc_number)) docs.set(p.doc_number, p.title);
    const docOptions = Array.from(docs, ([doc, title]) => [doc, doc, title]);
    docOptions.sort((a, b) => a[0].localeCompare(b[0], "zh-CN"));
    fillSelect($("f-doc"), docOptions, "全部文件");
  }

  async function loadPolicies() {
    try {
      const data = await api("GET", "/v1/policies");
      policies = data.policies || [];
      const clauses = policies.reduce((sum, p) => sum + (p.clause_count || 0), 0);
      $("kb").textContent = `知识库：${policies.length} 份政策文件 · ${clauses} 条条款`;
      refreshFilterOptions();
    } catch (err) {
      $("kb").textContent = "政策目录未能载入：" + err.message;
    }
  }

  // ---- search ---------------------------------------------------------------------------------

  function scheduleSearch() {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(search, SEARCH_DELAY_MS);
  }

  async function search() {
    clearTimeout(searchTimer);
    const query = q.value.trim();
    if (searchRun.controller) searchRun.controller.abort();
    if (!query) {
      renderHits([], "");
      searchStatus.textContent = "";
      showAnswerPlaceholder();
      return;
    }
    const run = { seq: searchRun.seq + 1, controller: new AbortController() };
    searchRun = run;
    hitsList.setAttribute("aria-busy", "true");
    try {
      const data = await api("POST", "/v1/search", { query, top_k: TOP_K, filters: filters() }, run.controller.signal);
      if (run !== searchRun) return;
      renderHits(data.hits || [], query);
      searchStatus.textContent = hits.length
        ? `找到 ${hits.length} 条相关条款，按 ↓ 逐条查看，按 c 复制引用。`
        : "没有找到相关条款：换个说法，或减少筛选条件再试。";
      searchStatus.classList.remove("failed");
    } catch (err) {
      if (err.name === "AbortError" || run !== searchRun) return;
      renderHits([], query);
      searchStatus.textContent = err.message;
      searchStatus.classList.add("failed");
      return;
    } finally {
      if (run === searchRun) hitsList.setAttribute("aria-busy", "false");
    }
    askFor(query);
  }

  function renderHits(items, query) {
    hits = items;
    selected = -1;
    hitsList.replaceChildren(...items.map((hit, i) => renderHit(hit, i, query)));
  }

  function renderHit(hit, i, query) {
    const note = h("span", { class: "note", role: "status" });
    const toggle = h("button", { type: "button", class: "small toggle", "aria-expanded": "false", "aria-controls": `hit-${i}-more` }, "展开");
    const copyButton = h("button", { type: "button", class: "small copy", "aria-label": `复制第 ${i + 1} 条的引用` }, "复制引用");
    const meta = [hit.issuer && "发文机关：" + hit.issuer, hit.source && "来源：" + hit.source, "相关度 " + Number(hit.score || 0).toFixed(2)];
    const item = h(
      "li",
      { class: "hit", id: `hit-${i}`, tabindex: "-1", "data-id": hit.id || "", "aria-labelledby": `hit-${i}-cite` },
      h(
        "div",
        { class: "hit-head" },
        hit.level ? h("span", { class: "badge" }, hit.level) : null,
        hit.region ? h("span", { class: "region" }, hit.region) : null,
        h("h3", { class: "cite", id: `hit-${i}-cite` }, citeLine(hit)),
      ),
      hit.path ? h("p", { class: "path" }, hit.path) : null,
      h("p", { class: "text" }, highlighted(hit.text || "", query)),
      h("p", { class: "more", id: `hit-${i}-more`, hidden: true }, meta.filter(Boolean).join(" · ")),
      h("div", { class: "actions" }, toggle, copyButton, note),
    );
    toggle.addEventListener("click", () => { choose(i, false); expand(i); });
    copyButton.addEventListener("click", () => { choose(i, false); copyHit(i); });
    item.addEventListener("click", (e) => {
      if (!e.target.closest("button") && !window.getSelection().toString()) choose(i, true);
    });
    return item;
  }

  function choose(i, focus) {
    if (!hits.length) return;
    selected = Math.max(0, Math.min(i, hits.length - 1));
    hitsList.querySelectorAll(".hit").forEach((el, n) => {
      el.classList.toggle("selected", n === selected);
      el.setAttribute("aria-current", n === selected ? "true" : "false");
      el.tabIndex = n === selected ? 0 : -1;
    });
    const el = $(`hit-${selected}`);
    if (focus) el.focus();
    el.scrollIntoView({ block: "nearest" });
  }

  function expand(i) {
    const el = $(`hit-${i}`);
    if (!el) return;
    const open = !el.classList.contains("expanded");
    el.classList.toggle("expanded", open);
    el.querySelector(".more").hidden = !open;
    const toggle = el.querySelector(".toggle");
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = open ? "收起" : "展开";
  }

  function copyHit(i) {
    const el = $(`hit-${i}`);
    if (!el) return Promise.resolve(false);
    return copyWithNote(reference(hits[i]), el.querySelector(".note"));
  }

  // ---- what Huiqi would answer ------------------------------------------------------------------

  function showAnswerPlaceholder() {
    if (askRun.controller) askRun.controller.abort();
    askRun = { seq: askRun.seq + 1, controller: null, key: "" };
    answerText = "";
    copyAnswer.hidden = true;
    answerBox.replaceChildren(h("p", { class: "placeholder" }, "输入问题后，这里显示惠企给来电者的参考答复和它引用的条款。"));
  }

  async function askFor(query) {
    const body = { question: query, filters: filters() };
    const key = JSON.stringify(body);
    if (key === askRun.key) return; // same question and filters: the answer shown still holds
    if (askRun.controller) askRun.controller.abort();
    const run = { seq: askRun.seq + 1, controller: new AbortController(), key };
    askRun = run;
    answerBox.setAttribute("aria-busy", "true");
    answerBox.replaceChildren(h("p", { class: "placeholder pending" }, "正在生成答复…"));
    copyAnswer.hidden = true;
    try {
      const answer = await api("POST", "/v1/ask", body, run.controller.signal);
      if (run !== askRun) return;
      renderAnswer(answer);
    } catch (err) {
      if (err.name === "AbortError" || run !== askRun) return;
      run.key = "";
      answerBox.replaceChildren(h("p", { class: "error" }, err.message));
    } finally {
      if (run === askRun) answerBox.setAttribute("aria-busy", "false");
    }
  }

  function renderAnswer(answer) {
    const cited = answer.citations || [];
    const known = new Set(cited.map((c) => String(c.n)));
    const body = h("p", { class: "answer-text" });
    for (const part of String(answer.answer || "").split(/(\[\d{1,2}\])/)) {
      const m = /^\[(\d{1,2})\]$/.exec(part);
      if (m && known.has(m[1])) {
        body.append(h("a", { class: "ref", href: `#ans-c${m[1]}`, onclick: (e) => { e.preventDefault(); openCitation(m[1]); } }, part));
      } else {
        body.append(part);
      }
    }
    answerText = answer.answer || "";
    copyAnswer.hidden = !answerText;
    const refused = cited.length ? "条款未写明所问金额或比例" : "未找到可引用的条款"; // a refusal may quote the clause that leaves it open
    const badge = answer.answered ? (answer.mode === "llm" ? "大模型生成，已核验引用" : "条款摘录") : refused;
    const parts = [
      h("p", { class: "mode" + (answer.answered ? "" : " refused") }, badge),
      body,
      answer.notice ? h("p", { class: "notice" }, answer.notice) : null,
      cited.length ? h("h3", { class: "cites-h" }, `引用条款（${cited.length}）`) : null,
      cited.length ? h("ol", { class: "cites" }, cited.map(renderCitation)) : null,
    ];
    answerBox.replaceChildren(...parts.filter(Boolean));
  }

  function renderCitation(c) {
    const note = h("span", { class: "note", role: "status" });
    return h(
      "li",
      {},
      h(
        "details",
        { id: `ans-c${c.n}`, class: "cite-card" },
        h("summary", {}, h("span", { class: "n" }, `[${c.n}]`), citeLine(c)),
        c.path ? h("p", { class: "path" }, c.path) : null,
        h("blockquote", { class: "text" }, c.text || ""),
      ),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", class: "small", onclick: () => copyWithNote(reference(c), note), "aria-label": `复制引用 ${c.n}` }, "复制引用"),
        note,
      ),
    );
  }

  function openCitation(n) {
    const card = $(`ans-c${n}`);
    if (!card) return;
    card.open = true;
    card.querySelector("summary").focus();
  }

  // ---- keyboard -------------------------------------------------------------------------------

  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    const target = e.target;
    const inQuery = target === q;
    const onHit = target.classList && target.classList.contains("hit");
    if (e.key === "/" && !editable(target)) {
      e.preventDefault();
      q.focus();
      q.select();
    } else if (e.key === "ArrowDown" && (inQuery || onHit) && hits.length) {
      e.preventDefault();
      choose(inQuery ? 0 : selected + 1, true);
    } else if (e.key === "ArrowUp" && onHit) {
      e.preventDefault();
      if (selected <= 0) q.focus();
      else choose(selected - 1, true);
    } else if (e.key === "Enter" && onHit) {
      e.preventDefault();
      expand(selected);
    } else if (e.key === "Enter" && inQuery) {
      e.preventDefault();
      search();
    } else if ((e.key === "c" || e.key === "C") && !editable(target) && selected >= 0) {
      e.preventDefault();
      copyHit(selected);
    } else if (e.key === "Escape" && !inQuery && !editable(target)) {
      q.focus();
    }
  });

  // ---- wiring ---------------------------------------------------------------------------------

  q.addEventListener("input", scheduleSearch);
  $("search-form").addEventListener("submit", (e) => { e.preventDefault(); search(); });
  for (const select of selects) {
    select.addEventListener("change", () => {
      if (select.id === "f-level" || select.id === "f-region") refreshFilterOptions();
      search();
    });
  }
  $("f-reset").addEventListener("click", () => {
    for (const select of selects) select.value = "";
    refreshFilterOptions();
    search();
    q.focus();
  });
  copyAnswer.addEventListener("click", () => copyWithNote(answerText, $("answer-note")));

  const keyInput = $("api-key");
  keyInput.value = apiKey();
  $("key-form").addEventListener("submit", (e) => {
    e.preventDefault();
    keyInMemory = keyInput.value.trim();
    try {
      if (keyInput.value.trim()) localStorage.setItem(KEY_STORE, keyInput.value.trim());
      else localStorage.removeItem(KEY_STORE);
      $("key-status").textContent = "已保存";
    } catch (_) {
      $("key-status").textContent = "浏览器禁止本地保存，密钥只在本页有效";
    }
    loadPolicies();
    search();
  });
  $("key-clear").addEventListener("click", () => {
    keyInput.value = "";
    keyInMemory = "";
    try {
      localStorage.removeItem(KEY_STORE);
    } catch (_) {
      /* nothing stored */
    }
    $("key-status").textContent = "已清除";
  });

  loadPolicies();
  q.focus();
})();
