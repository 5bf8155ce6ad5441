/* Huiqi (惠企) chat widget: policy answers with cited clauses, for any website.
 *
 *   <script src="https://HOST/widget.js" data-api-key="…" defer></script>
 *
 * data-api-base  API address (default: where this script was loaded from)
 * data-api-key   key sent as "Authorization: Bearer …" when the server requires one
 * data-color     theme colour, any CSS colour (default #1d5fbf)
 * data-title     panel title (default 惠企政策咨询)
 * data-position  "right" (default) or "left"
 * data-examples  example questions separated by "|"
 *
 * Plain JavaScript, no dependencies, nothing fetched from any other host. Everything lives in a
 * Shadow DOM, and server text only ever reaches the page through textContent.
 */
(() => {
  "use strict";
  if (window.HuiqiWidget) return; // embedded twice: the first one wins

  const STYLESHEET = /*! huiqi:css */ ""; // the server puts widget.css here
  const SESSION_KEY = "huiqi.session";
  const DEFAULT_EXAMPLES = [
    "我们刚认定为高新技术企业，能申请什么？",
    "小微企业房租减免有哪些政策？",
    "创业担保贷款最多能贷多少？",
  ];

  // document.currentScript is only set while this file first runs, so read it now.
  const script =
    document.currentScript ||
    Array.from(document.scripts).reverse().find((s) => /\/widget\.js(?:[?#]|$)/.test(s.src));
  const data = (script && script.dataset) || {};
  const config = {
    apiBase: (data.apiBase || (script && script.src ? new URL(".", script.src).href : location.origin))
      .replace(/\/+$/, ""),
    apiKey: data.apiKey || "",
    color: data.color && window.CSS && window.CSS.supports("color", data.color) ? data.color : "",
    title: data.title || "惠企政策咨询",
    position: data.position === "left" ? "left" : "right",
    examples: data.examples
      ? data.examples.split("|").map((q) => q.trim()).filter(Boolean)
      : DEFAULT_EXAMPLES,
  };

  // ---- small DOM helpers (strings always become text nodes) ----------------------------------

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

  const ICONS = {
    chat: "M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2zM6 9h12v2H6V9zm8 5H6v-2h8v2zm4-6H6V6h12v2z",
    close: "M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z",
    send: "M2.01 21 23 12 2.01 3 2 10l15 2-15 2z",
    up: "M1 21h4V9H1v12zm22-11a2 2 0 0 0-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10a2 2 0 0 0 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z",
    down: "M15 3H6c-.83 0-1.54.5-1.84 1.22l-3.02 7.05c-.09.23-.14.47-.14.73v2a2 2 0 0 0 2 2h6.31l-.95 4.57-.03.32c0 .41.17.79.44 1.06L9.83 23l6.59-6.59c.36-.36.58-.86.58-1.41V5a2 2 0 0 0-2-2zm4 0v12h4V3h-4z",
  };

  function icon(name) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", ICONS[name]);
    svg.append(path);
    return svg;
  }

  // ---- talking to the API --------------------------------------------------------------------

  function headers(json) {
    const out = { Accept: json ? "application/json" : "text/event-stream" };
    out["Content-Type"] = "application/json";
    if (config.apiKey) out.Authorization = "Bearer " + config.apiKey;
    return out;
  }

  class ApiError extends Error {}

  // The API's own messages are meant for developers; visitors get Chinese ones by status.
  const STATUS_MESSAGES = {
    401: "本网站的政策咨询服务尚未配置访问密钥，请联系网站管理员。",
    403: "政策咨询服务拒绝了本网站的访问密钥，请联系网站管理员。",
    429: "提问太频繁了，请稍等一分钟再试。",
    503: "政策咨询服务正在启动，请稍后再试。",
  };

  function inChinese(message) {
    return typeof message === "string" && /[\u4e00-\u9fff]/.test(message) ? message : "";
  }

  async function failure(res) {
    let message = "";
    try {
      const body = await res.json();
      message = inChinese(body && body.error && body.error.message);
    } catch (_) {
      /* not JSON: fall through to the message for the status */
    }
    return new ApiError(
      STATUS_MESSAGES[res.status] || message || `政策咨询服务暂时不可用（${res.status}），请稍后再试。`,
    );
  }

  async function post(path, body, signal) {
    let res;
    try {
      res = await fetch(config.apiBase + path, {
        method: "POST", headers: headers(true), body: JSON.stringify(body), signal, mode: "cors",
      });
    } catch (err) {
      if (err.name === "AbortError") throw err;
      throw new ApiError("无法连接政策咨询服务，请检查网络后重试。");
    }
    if (!res.ok) throw await failure(res);
    return res.json();
  }

  /** Reads Server-Sent Events from a fetch() response body; calls onEvent(name, data). */
  async function readEvents(res, onEvent) {
    const reader = res.body.getReader();
    try {
      await pump(reader, onEvent);
    } finally {
      reader.cancel().catch(() => {});
    }
  }

  async function pump(reader, onEvent) {
    const decoder = new TextDecoder("utf-8");
    let buffer = "";
    const dispatch = (block) => {
      let name = "message";
      const lines = [];
      for (const line of block.split("\n")) {
        if (!line || line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? "" : line.slice(colon + 1);
        if (value.startsWith(" ")) value = value.slice(1);
        if (field === "event") name = value;
        else if (field === "data") lines.push(value);
      }
      if (!lines.length) return;
      let payload;
      try {
        payload = JSON.parse(lines.join("\n"));
      } catch (_) {
        payload = { text: lines.join("\n") };
      }
      onEvent(name, payload);
    };
    for (;;) {
      const { value, done } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      // Normalise CRLF/CR, but keep a trailing CR back: its LF may arrive in the next chunk.
      const held = !done && buffer.endsWith("\r") ? "\r" : "";
      buffer = buffer.slice(0, buffer.length - held.length).replace(/\r\n?/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        dispatch(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
      buffer += held;
      if (done) break;
    }
    if (buffer.trim()) dispatch(buffer);
  }

  /** Asks with streaming; falls back to POST /v1/ask when the browser or server cannot stream. */
  async function ask(question, sessionId, handlers, signal) {
    const body = { question };
    if (sessionId) body.session_id = sessionId;
    let res;
    try {
      res = await fetch(config.apiBase + "/v1/ask/stream", {
        method: "POST", headers: headers(false), body: JSON.stringify(body), signal, mode: "cors",
      });
    } catch (err) {
      if (err.name === "AbortError") throw err;
      throw new ApiError("无法连接政策咨询服务，请检查网络后重试。");
    }
    const streams = res.ok && res.body && res.body.getReader && window.TextDecoder;
    if (!streams && (res.ok || res.status === 404 || res.status === 405)) {
      if (res.body && res.body.cancel) res.body.cancel().catch(() => {});
      const answer = await post("/v1/ask", body, signal);
      handlers.delta({ text: answer.answer || "" });
      handlers.citations({ citations: answer.citations || [] });
      handlers.done(answer);
      return;
    }
    if (!res.ok) throw await failure(res);
    let finished = false;
    await readEvents(res, (name, payload) => {
      if (name === "error") {
        const err = payload.error || payload;
        const ref = err.request_id ? `（错误编号 ${err.request_id}）` : "";
        throw new ApiError(inChinese(err.message) || `回答时出错，请稍后再试${ref}。`);
      }
      if (name === "done") finished = true;
      if (handlers[name]) handlers[name](payload);
    });
    if (!finished) throw new ApiError("回答中断了，请重试。");
  }

  // ---- session ------------------------------------------------------------------------------

  const session = {
    get() {
      try {
        return sessionStorage.getItem(SESSION_KEY) || "";
      } catch (_) {
        return ""; // storage blocked: every question starts a session, answers still work
      }
    },
    set(id) {
      try {
        if (id) sessionStorage.setItem(SESSION_KEY, id);
        else sessionStorage.removeItem(SESSION_KEY);
      } catch (_) {
        /* storage blocked */
      }
    },
  };

  // ---- the widget ---------------------------------------------------------------------------

  function mount() {
    const host = document.createElement("huiqi-widget");
    const root = host.attachShadow({ mode: "open" });
    let busy = null; // AbortController of the answer being streamed
    let answerCount = 0;

    // A constructed stylesheet is not "inline style" to a Content-Security-Policy, so pages with a
    // strict style-src still show the widget styled; older browsers get a <style> element.
    let style = null;
    if ("adoptedStyleSheets" in root && window.CSSStyleSheet && "replaceSync" in CSSStyleSheet.prototype) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(STYLESHEET);
      root.adoptedStyleSheets = [sheet];
    } else {
      style = h("style");
      style.textContent = STYLESHEET;
    }

    const bubble = h(
      "button",
      {
        type: "button", class: "bubble", "aria-haspopup": "dialog", "aria-expanded": "false",
        "aria-controls": "hq-panel", "aria-label": "打开" + config.title, onclick: () => toggle(),
      },
      icon("chat"),
      h("span", { class: "bubble-text", "aria-hidden": "true" }, "政策咨询"),
    );

    const log = h("div", { class: "log", tabindex: "-1", "aria-label": "对话记录" });
    const status = h("p", { class: "sr-only", role: "status" });
    const input = h("textarea", {
      id: "hq-input", rows: "1", maxlength: "500", autocomplete: "off",
      placeholder: "请输入您想咨询的政策问题", "aria-describedby": "hq-note",
    });
    const send = h("button", { type: "submit", class: "send" }, icon("send"), "发送");
    const form = h(
      "form",
      { class: "ask", onsubmit: (e) => { e.preventDefault(); submit(input.value); } },
      h("label", { for: "hq-input", class: "sr-only" }, "您的问题"),
      input,
      send,
    );
    const panel = h(
      "section",
      { id: "hq-panel", class: "panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "hq-title", hidden: true },
      h(
        "header",
        { class: "head" },
        h("h2", { id: "hq-title" }, config.title),
        h("button", { type: "button", class: "new", onclick: () => newConversation() }, "新对话"),
        h("button", { type: "button", class: "close", "aria-label": "关闭对话窗口", onclick: () => close() }, icon("close")),
      ),
      log,
      status,
      form,
      h("p", { id: "hq-note", class: "note" }, "回答摘自政策原文，仅供参考，具体以主管部门解释为准。"),
    );
    const frame = h("div", { class: "frame " + config.position }, bubble, panel);
    if (style) root.append(style);
    root.append(frame);

    panel.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        close();
      }
    });
    input.addEventListener("keydown", (e) => {
      // Enter sends, Shift+Enter breaks the line; never while an IME is composing Chinese.
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
        e.preventDefault();
        submit(input.value);
      }
    });
    input.addEventListener("input", grow);

    function grow() {
      input.style.height = "auto";
      input.style.height = Math.min(input.scrollHeight + 2, 120) + "px";
    }

    function isOpen() {
      return !panel.hidden;
    }

    // On phones the panel covers the page; the page underneath should not scroll meanwhile.
    const phone = window.matchMedia("(max-width: 480px)");
    let pageOverflow = null;

    function lockPage(lock) {
      const html = document.documentElement;
      if (lock && phone.matches && pageOverflow === null) {
        pageOverflow = html.style.overflow;
        html.style.overflow = "hidden";
      } else if (!lock && pageOverflow !== null) {
        html.style.overflow = pageOverflow;
        pageOverflow = null;
      }
    }

    function open() {
      lockPage(true);
      panel.hidden = false;
      frame.classList.add("open");
      bubble.setAttribute("aria-expanded", "true");
      if (!log.childElementCount) showIntro();
      input.focus();
    }

    function close() {
      lockPage(false);
      panel.hidden = true;
      frame.classList.remove("open");
      bubble.setAttribute("aria-expanded", "false");
      bubble.focus();
    }

    function toggle() {
      if (isOpen()) close();
      else open();
    }

    function showIntro() {
      const list = h(
        "ul",
        { class: "examples" },
        config.examples.map((q) =>
          h("li", {}, h("button", { type: "button", onclick: () => submit(q) }, q)),
        ),
      );
      log.append(
        h(
          "div",
          { class: "intro" },
          h("p", {}, "您好！我可以帮您查找企业可以享受的扶持政策，每条回答都附有政策原文条款。"),
          config.examples.length ? h("p", { class: "hint" }, "您可以这样问：") : null,
          config.examples.length ? list : null,
        ),
      );
    }

    function newConversation() {
      if (busy) busy.abort();
      session.set("");
      log.replaceChildren();
      showIntro();
      input.value = "";
      grow();
      status.textContent = "已开始新对话。";
      input.focus();
    }

    // A new question goes to the top of the log and its answer reads downwards from there,
    // rather than the view chasing the end of a long answer.
    function scrollToQuestion(el) {
      log.scrollTop = Math.max(0, el.offsetTop - 12);
    }

    function setBusy(controller) {
      busy = controller;
      send.disabled = Boolean(controller);
      form.setAttribute("aria-busy", controller ? "true" : "false");
    }

    async function submit(raw) {
      const question = String(raw || "").trim();
      if (!question || busy) return;
      if (!isOpen()) open();
      input.value = "";
      grow();
      input.focus();
      const asked = h("p", { class: "msg user" }, h("span", { class: "sr-only" }, "我的问题："), question);
      log.append(asked);

      const id = "hq-a" + ++answerCount;
      const text = h("div", { class: "text", "aria-live": "polite", "aria-busy": "true" });
      const typing = h("span", { class: "typing" }, "正在查找相关政策…");
      text.append(typing);
      const msg = h("article", { class: "msg bot", id, "aria-label": "惠企的回答" }, text);
      log.append(msg);
      scrollToQuestion(asked);
      status.textContent = "正在查找相关政策…";

      const controller = new AbortController();
      setBusy(controller);
      let streamed = "";
      let citations = [];
      try {
        await ask(question, session.get(), {
          delta(payload) {
            if (typing.isConnected) typing.remove();
            streamed += payload.text || "";
            text.append(payload.text || "");
          },
          citations(payload) {
            citations = payload.citations || [];
          },
          done(answer) {
            if (answer.session_id) session.set(answer.session_id);
            const cited = answer.citations || citations;
            renderAnswer(text, answer.answer || streamed, cited, id);
            if (answer.notice) msg.append(h("p", { class: "notice" }, answer.notice));
            if (cited.length) msg.append(renderCitations(cited, id));
            if (answer.answer_id) msg.append(renderFeedback(answer));
            status.textContent = cited.length ? `回答完成，附 ${cited.length} 条政策原文引用。` : "回答完成。";
            scrollToQuestion(asked);
          },
        }, controller.signal);
      } catch (err) {
        if (err.name === "AbortError") {
          msg.remove();
          return;
        }
        if (typing.isConnected) typing.remove();
        msg.classList.add("error");
        msg.setAttribute("role", "alert");
        text.append((streamed ? "\n\n" : "") + (err instanceof ApiError ? err.message : "出错了，请稍后再试。"));
        status.textContent = "";
      } finally {
        text.setAttribute("aria-busy", "false");
        if (busy === controller) setBusy(null);
      }
    }

    /** The answer text, with markers like [1] turned into buttons that open citation card 1. */
    function renderAnswer(target, answer, cited, id) {
      const known = new Set(cited.map((c) => String(c.n)));
      const parts = answer.split(/(\[\d{1,2}\])/);
      target.replaceChildren(
        ...parts.map((part) => {
          const m = /^\[(\d{1,2})\]$/.exec(part);
          if (!m || !known.has(m[1])) return document.createTextNode(part);
          return h(
            "button",
            { type: "button", class: "ref", "aria-label": `查看引用 ${m[1]}`, onclick: () => openCard(id, m[1]) },
            part,
          );
        }),
      );
    }

    function openCard(id, n) {
      const card = root.getElementById(`${id}-c${n}`);
      if (!card) return;
      card.open = true;
      card.querySelector("summary").focus();
      card.scrollIntoView({ block: "nearest" });
    }

    function renderCitations(cited, id) {
      return h(
        "section",
        { class: "cites-wrap", "aria-label": "引用的政策条款" },
        h("p", { class: "cites-h", "aria-hidden": "true" }, `引用条款（${cited.length}）`),
        h(
          "ol",
          { class: "cites" },
          cited.map((c) =>
            h(
              "li",
              {},
              h(
                "details",
                { class: "cite", id: `${id}-c${c.n}`, "data-n": c.n, "data-id": c.id || "" },
                h(
                  "summary",
                  {},
                  h("span", { class: "n" }, `[${c.n}]`),
                  h("span", { class: "ctitle" }, `《${c.title || c.source || "政策文件"}》`),
                  h("span", { class: "cmeta" }, [c.doc_number, c.clause].filter(Boolean).join(" · ")),
                ),
                h(
                  "div",
                  { class: "cbody" },
                  c.path ? h("p", { class: "cpath" }, "条款位置：" + c.path) : null,
                  h("blockquote", { class: "ctext" }, c.text || ""),
                  h("p", { class: "csrc" }, [c.level, c.region, c.source && "来源：" + c.source].filter(Boolean).join(" · ")),
                ),
              ),
            ),
          ),
        ),
      );
    }

    function renderFeedback(answer) {
      const note = h("span", { class: "fb-status", role: "status" });
      const buttons = [];
      const rate = async (rating, button) => {
        buttons.forEach((b) => { b.disabled = true; });
        try {
          await post("/v1/feedback", { session_id: answer.session_id, answer_id: answer.answer_id, rating });
          button.setAttribute("aria-pressed", "true");
          note.classList.remove("failed");
          note.textContent = "已收到反馈，谢谢！";
        } catch (err) {
          buttons.forEach((b) => { b.disabled = false; });
          note.classList.add("failed");
          note.textContent = "反馈未能提交：" + (err instanceof ApiError ? err.message : "请稍后再试。");
        }
      };
      for (const [rating, label] of [["up", "有帮助"], ["down", "没帮助"]]) {
        const button = h(
          "button",
          { type: "button", class: "fb " + rating, "aria-pressed": "false", "data-rating": rating },
          icon(rating),
          label,
        );
        button.addEventListener("click", () => rate(rating, button));
        buttons.push(button);
      }
      return h(
        "div",
        { class: "feedback", role: "group", "aria-label": "这个回答有帮助吗？" },
        h("span", { "aria-hidden": "true" }, "这个回答有帮助吗？"),
        buttons,
        note,
      );
    }

    document.body.append(host);
    applyColour(frame);

    window.HuiqiWidget = {
      open,
      close,
      ask: (question) => submit(question),
      newConversation,
      config: Object.freeze({ ...config, apiKey: config.apiKey ? "(set)" : "" }),
    };
    window.dispatchEvent(new CustomEvent("huiqi:ready"));

    /** Sets the theme colour and picks black or white text on it, whichever reads better. */
    function applyColour(el) {
      if (!config.color) return;
      host.style.setProperty("--hq-color", config.color);
      const computed = getComputedStyle(el.querySelector(".bubble")).backgroundColor;
      const rgb = computed.startsWith("rgb") && computed.match(/\d+(\.\d+)?/g);
      if (!rgb) return;
      const [r, g, b] = rgb.slice(0, 3).map((v) => {
        const c = Number(v) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
      host.style.setProperty("--hq-on-color", luminance > 0.4 ? "#1a1a1a" : "#fff");
    }
  }

  // Marks the API as taken at once, so a second copy of the script does nothing.
  window.HuiqiWidget = window.HuiqiWidget || { pending: true };
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount, { once: true });
})();
