// Mentorbot sandbox: one phone per demo person, live over server-sent events.
// Everything shown is built with DOM nodes and textContent; the bot's HTML goes through
// a strict allow-list (safeHtml) and is never assigned to innerHTML.
"use strict";

const phones = new Map(); // user_id -> {person, log, status, rendered: Map(id -> {key, node}), busy, again}
const ALLOWED_TAGS = new Set(["B", "I", "U", "S", "CODE", "PRE", "A"]);
const ALIASES = {STRONG: "B", EM: "I", INS: "U", STRIKE: "S", DEL: "S"};
const WEB_LINK = /^https?:\/\//i;
const OWN_FILE = /^\/files\/[\w-]+$/;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = value;
    else if (name === "className") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

async function api(method, path, body) {
  const options = {method, headers: {}};
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`;
    try { detail = (await response.json()).error || detail; } catch (_) { /* not JSON */ }
    throw new Error(detail);
  }
  return response.status === 204 ? null : response.json();
}

// The bot's sanitised HTML, rebuilt node by node: only b/i/u/s/code/pre/a[href=http(s)].
function safeHtml(html) {
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  const out = document.createDocumentFragment();
  const copy = (from, to) => {
    for (const node of from.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) { to.append(node.textContent); continue; }
      if (node.nodeType !== Node.ELEMENT_NODE) continue;
      const tag = ALIASES[node.tagName] || node.tagName;
      if (!ALLOWED_TAGS.has(tag)) { copy(node, to); continue; } // unwrap anything else
      const clean = document.createElement(tag);
      if (tag === "A") {
        const href = node.getAttribute("href") || "";
        if (!WEB_LINK.test(href)) { copy(node, to); continue; }
        clean.href = href;
        clean.rel = "noopener noreferrer";
        clean.target = "_blank";
      }
      copy(node, clean);
      to.append(clean);
    }
  };
  copy(parsed.body, out);
  return out;
}

// Unicode isolates (LRI, RLI, FSI … PDI) around the bot's commands, names and numbers, as <bdi>
// elements: the same layout, but some fonts (DejaVu) draw the control characters as boxes with
// their code points. A pair split across elements stays as characters.
const OPENERS = {"\u2066": "ltr", "\u2067": "rtl", "\u2068": null};
const PDI = "\u2069";

function isolatesAsBdi(root) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const found = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (/[\u2066-\u2069]/.test(node.data)) found.push(node);
  }
  for (const node of found) {
    const out = document.createDocumentFragment();
    const open = []; // [{bdi, mark}] from the outermost
    const here = () => (open.length ? open[open.length - 1].bdi : out);
    for (const part of node.data.split(/([\u2066-\u2069])/)) {
      if (part in OPENERS) {
        const bdi = el("bdi", {dir: OPENERS[part]});
        here().append(bdi);
        open.push({bdi, mark: part});
      } else if (part === PDI && open.length) {
        open.pop();
      } else if (part) {
        here().append(part);
      }
    }
    while (open.length) { // never closed here: back to characters
      const {bdi, mark} = open.pop();
      bdi.replaceWith(mark, ...bdi.childNodes);
    }
    node.replaceWith(out);
  }
  return root;
}

function timeOf(unix) {
  return new Date(unix * 1000).toLocaleTimeString("en-GB", {hour: "2-digit", minute: "2-digit"});
}

function renderButtons(userId, message) {
  const box = el("div", {className: "keyboard"});
  for (const row of message.buttons || []) {
    const line = el("div", {className: "keyboard-row"});
    for (const button of row) {
      if (button.url && WEB_LINK.test(button.url)) {
        line.append(el("a", {className: "key", href: button.url, target: "_blank",
          rel: "noopener noreferrer", text: `${button.text} ↗`}));
      } else if (button.data) {
        line.append(el("button", {type: "button", className: "key", text: button.text,
          onclick: (event) => press(userId, message, button, event.currentTarget)}));
      }
    }
    box.append(line);
  }
  return box.childNodes.length ? box : null;
}

function renderMessage(userId, message) {
  const mine = message.from === "user";
  const bubble = el("div", {className: `msg ${mine ? "mine" : "bot"}`, "data-id": message.id});
  bubble.append(el("span", {className: "visually-hidden", text: mine ? "You said: " : "Bot: "}));
  if (message.photo && OWN_FILE.test(message.photo)) {
    bubble.append(el("img", {className: "photo", src: message.photo, loading: "lazy",
      alt: "Photo from the bot"}));
  }
  if (message.document && OWN_FILE.test(message.document.url)) {
    bubble.append(el("a", {className: "document", href: message.document.url,
      download: message.document.name}, el("span", {"aria-hidden": "true", text: "📄 "}),
    el("span", {text: message.document.name})));
  }
  // What a person typed takes its direction from its own first letter, as Telegram shows it.
  const body = el("div", {className: "body", dir: mine ? "auto" : null});
  if (!mine && message.html) body.append(safeHtml(message.html));
  else body.textContent = message.text || message.caption || "";
  if (!mine) isolatesAsBdi(body);
  if (body.textContent) bubble.append(body);
  const meta = el("div", {className: "meta"});
  if (message.edited) meta.append(el("span", {className: "edited", text: "edited"}));
  meta.append(el("time", {dir: "ltr", datetime: new Date(message.date * 1000).toISOString(),
    text: timeOf(message.date)}));
  bubble.append(meta);
  const keyboard = mine ? null : renderButtons(userId, message);
  return keyboard ? el("div", {className: "msg-group bot"}, bubble, keyboard) : bubble;
}

// Only messages that changed are rebuilt, so focus and scrolling survive live updates.
function renderChat(userId, messages) {
  const phone = phones.get(userId);
  if (!phone) return;
  const log = phone.log;
  const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  const before = phone.rendered.size;
  const seen = new Map();
  let lostFocus = null; // a replaced message held the keyboard focus: where to put it back
  let cursor = log.firstChild;
  if (cursor && cursor.classList.contains("empty")) { cursor.remove(); cursor = null; }
  for (const message of messages) {
    const key = JSON.stringify(message);
    let entry = phone.rendered.get(message.id);
    if (!entry || entry.key !== key) {
      const node = renderMessage(userId, message);
      if (entry) {
        if (entry.node.contains(document.activeElement)) lostFocus = node;
        if (entry.node === cursor) cursor = cursor.nextSibling;
        entry.node.remove();
      }
      entry = {key, node};
    }
    seen.set(message.id, entry);
    if (entry.node === cursor) cursor = cursor.nextSibling;
    else log.insertBefore(entry.node, cursor);
  }
  for (const [id, entry] of phone.rendered) if (!seen.has(id)) entry.node.remove();
  phone.rendered = seen;
  if (!messages.length) log.append(el("p", {className: "empty", text: "No messages yet."}));
  if (lostFocus) {
    const buttons = log.querySelectorAll(".keyboard");
    const next = lostFocus.querySelector(".key") ||
      (buttons.length && buttons[buttons.length - 1].querySelector(".key")) || log;
    next.focus({preventScroll: true});
  }
  if (atBottom || seen.size > before) log.scrollTop = log.scrollHeight;
}

async function refreshChat(userId) {
  const phone = phones.get(userId);
  if (!phone) return;
  if (phone.busy) { phone.again = true; return; }
  phone.busy = true;
  try {
    do {
      phone.again = false;
      const chat = await api("GET", `/api/chats/${userId}`);
      renderChat(userId, chat.messages);
    } while (phone.again);
  } catch (error) {
    showStatus(userId, `Could not load the chat: ${error.message}`);
  } finally {
    phone.busy = false;
  }
}

function showStatus(userId, text) {
  const phone = phones.get(userId);
  if (phone) phone.status.textContent = text;
}

async function send(userId, text) {
  showStatus(userId, "");
  try {
    await api("POST", `/api/chats/${userId}/send`, {text});
    return true;
  } catch (error) {
    showStatus(userId, `Not sent: ${error.message}`);
    return false;
  }
}

async function press(userId, message, button, node) {
  showStatus(userId, "");
  node.setAttribute("aria-busy", "true");
  try {
    const messageId = Number(String(message.id).replace(/\D/g, ""));
    await api("POST", `/api/chats/${userId}/press`, {message_id: messageId, data: button.data});
  } catch (error) {
    showStatus(userId, `Button not pressed: ${error.message}`);
  } finally {
    node.removeAttribute("aria-busy");
  }
}

function renderPhone(person) {
  const id = person.user_id;
  const lang = person.language || "en";
  const dir = person.rtl ? "rtl" : "ltr";
  const titleId = `phone-title-${id}`;
  const log = el("div", {className: "log", role: "log", "aria-live": "polite", tabindex: "0",
    "aria-label": `Chat of ${person.name}`, lang, dir});
  const input = el("textarea", {rows: "2", lang, dir: "auto", "aria-label": `Message as ${person.name}`,
    placeholder: "Message", maxlength: "4096", autocomplete: "off"});
  const status = el("p", {className: "phone-status", role: "status"});
  const submit = async (text) => {
    if (!text.trim()) return;
    if (await send(id, text)) input.value = "";
  };
  const form = el("form", {className: "composer", onsubmit: (event) => {
    event.preventDefault();
    submit(input.value);
  }}, input, el("button", {type: "submit", className: "send", text: "Send"}));
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  const quick = el("div", {className: "quick", role: "group", "aria-label": `Quick commands for ${person.name}`},
    el("button", {type: "button", text: "/help", onclick: () => send(id, "/help")}),
    el("button", {type: "button", text: "Switch language", title: "Sends /language",
      onclick: () => send(id, "/language")}));
  const header = el("header", {className: "phone-head"},
    el("h2", {id: titleId}, el("bdi", {text: person.name})),
    el("p", {className: "role"}, person.role, " · ", el("span", {className: "lang", text: lang})),
    person.hint ? el("p", {className: "hint", text: person.hint}) : null);
  const section = el("section", {className: `phone${person.rtl ? " rtl" : ""}`,
    id: `phone-${id}`, "data-user": id, "aria-labelledby": titleId},
  header, log, status, quick, form);
  phones.set(id, {person, log, status, rendered: new Map(), busy: false, again: false});
  return section;
}

// The three first steps, named after the demo's people; the page's static guide otherwise.
function renderGuide(people) {
  const teacher = people.find((person) => /\/target \w+/.test(person.hint || ""));
  if (!teacher) return;
  const command = teacher.hint.match(/\/target \w+/)[0];
  const pupil = command.split(" ")[1].toLowerCase();
  const parent = people.find((person) => person !== teacher &&
    (person.role || "").toLowerCase().includes(pupil));
  const phoneLink = (person) => el("a", {href: `#phone-${person.user_id}`, onclick: (event) => {
    event.preventDefault();
    document.querySelector(`#phone-${person.user_id} textarea`).focus();
  }}, el("bdi", {text: `${person.name}'s phone`}));
  const steps = [
    el("li", {}, "On ", phoneLink(teacher), ", type ", el("code", {text: command}),
      " and press the buttons: an area, a target, then a home idea (or skip)."),
    parent && el("li", {}, "Watch ", phoneLink(parent), ": the target arrives a moment later."),
    el("li", {}, "Parents: press a day, then a time in the meeting invitation."),
  ];
  document.getElementById("guide").replaceChildren(...steps.filter(Boolean));
}

async function loadAll() {
  const people = await api("GET", "/api/people");
  const known = [...phones.keys()].join(",");
  if (known !== people.map((person) => person.user_id).join(",")) {
    phones.clear();
    document.getElementById("phones").replaceChildren(...people.map(renderPhone));
    renderGuide(people);
  }
  await Promise.all(people.map((person) => refreshChat(person.user_id)));
}

function setConnection(text, ok) {
  const node = document.getElementById("connection");
  node.textContent = text;
  node.classList.toggle("offline", !ok);
}

let events = null;
function listen() {
  events = new EventSource("/api/events");
  events.addEventListener("open", () => {
    setConnection("Live", true);
    for (const id of phones.keys()) refreshChat(id); // catch up on anything missed
  });
  events.addEventListener("chat", (event) => {
    try { refreshChat(JSON.parse(event.data).user_id); } catch (_) { /* ignore a bad event */ }
  });
  events.addEventListener("reset", () => loadAll().catch(() => setConnection("Reload failed", false)));
  events.addEventListener("error", () => {
    setConnection("Reconnecting…", false);
    if (events.readyState === EventSource.CLOSED) setTimeout(listen, 2000); // browser gave up
  });
}

async function resetSchool(button) {
  if (!window.confirm("Reset the demo school? Every chat starts again from the beginning.")) return;
  button.disabled = true;
  button.textContent = "Resetting…";
  try {
    await api("POST", "/api/reset");
    await loadAll();
  } catch (error) {
    window.alert(`Reset failed: ${error.message}`);
  } finally {
    button.disabled = false;
    button.textContent = "Reset demo school";
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("reset").addEventListener("click", (event) => resetSchool(event.currentTarget));
  loadAll().catch((error) => setConnection(`Could not load: ${error.message}`, false));
  listen();
});
