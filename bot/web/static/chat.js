// Vragenbot Metaal chat, shared by the chat page and the kiosk.
// Talks socket.io to the Rasa server the page came from; falls back to its REST channel
// when the socket.io client is missing. Bot text is never inserted as HTML: text nodes
// only, with URLs made into links.
//
// Language: the page shows Dutch or English (its own texts from texts.js; `lang` on <html>).
// Each bot message says its language (`lang`, bot/web/channel.py), which goes on its element,
// and the page follows the last one: an English question answered in English turns the page
// English. The NL | EN switch sends `/switch_language{"language":"en"}` like a button. A new
// conversation starts in Dutch: on a page that shows English, its first message is preceded
// by that switch, sent quietly (the server sends no reply to it).
//
// A person (issue 21): the bot's offer sends /handover_start like any button; from then on the
// server says where the conversation stands with a `handover` event ({state: "waiting" with
// its `position` in the queue, "taken", or "none"}), and messages of school staff come as
// bot messages with `sender: "staff"` and an `id`. Each message says who writes: "Medewerker"
// (staff) or "Vragenbot", shown from the first handover on. While waiting, a panel shows the
// place in the queue and "Annuleren" (/handover_cancel). A reload asks for the conversation's
// state and the staff messages after the last one shown (`after`), so nothing is lost or shown
// twice; "Nieuw gesprek" (and the kiosk's idle reset) first leaves the queue.
(function () {
  "use strict";

  var REST_WEBHOOK = "../rest/webhook";
  var SESSION_URL = "session";
  var WELCOME_URL = "welcome";  // the bot's answer to a greeting, from domain.yml (bot/web/channel.py)
  var REPLY_TIMEOUT_MS = 20000;
  var STORED_HISTORY_MAX_IDLE_MS = 2 * 60 * 60 * 1000;  // then a reload starts afresh
  var TEXTS = window.VragenbotTexts;  // texts.js
  var DUTCH = "nl";  // the language of a new conversation (the slot's initial value in domain.yml)
  var HANDOVER_CANCEL = "/handover_cancel";  // handled by the server before Rasa (bot/channels/base.py)
  var QUEUE_POLL_MS = 5000;  // while waiting: ask the server for the place in the queue

  function isLanguage(value) { return typeof value === "string" && Object.prototype.hasOwnProperty.call(TEXTS, value); }
  function switchPayload(language) { return '/switch_language{"language":"' + language + '"}'; }

  // Conversation ids are issued (and signed) by the server; null when it could not be asked,
  // then the socket's session_confirm brings one.
  function obtainSessionId(done) {
    fetch(SESSION_URL, { cache: "no-store" })
      .then(function (response) { if (!response.ok) { throw new Error(String(response.status)); } return response.json(); })
      .then(function (body) { done(body.session_id); })
      .catch(function () { done(null); });
  }

  function randomId() {  // only for the REST fallback when the server could not issue one
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // --- transports: send({text, lang, quiet}); replies arrive through onReply(message) ---
  // `lang`: the language the page shows (the server's own texts, "slow down", follow it);
  // `quiet`: the server sends no reply to this message. onStatus gets a key of the texts.
  function socketTransport(sessionId, onReply, onStatus, onSession, handlers) {
    // The session id in the query of every request lets a proxy in front of several Rasa
    // processes (scripts/run-scaled) send the whole conversation to one of them.
    var socket = window.io({ path: "/socket.io", query: sessionId ? { session_id: sessionId } : {} });
    var ready = false;
    var waiting = [];
    function emit(message) {
      var data = { message: message.text, session_id: sessionId, lang: message.lang };
      if (message.quiet) { data.quiet = true; }
      if (message.page) { data.page = message.page; }
      socket.emit("user_uttered", data);
    }
    socket.on("connect", function () {
      // `after`: the last staff message this page shows; the server sends the later ones (a reload).
      socket.emit("session_request", { session_id: sessionId, after: handlers.lastStaffMessage() });
    });
    socket.on("session_confirm", function (confirmed) {
      if (confirmed !== sessionId) { sessionId = confirmed; onSession(confirmed); }  // ours was not valid
      ready = true;
      onStatus("");
      while (waiting.length) { emit(waiting.shift()); }
    });
    socket.on("disconnect", function () { ready = false; onStatus("disconnected"); });
    socket.on("connect_error", function () { onStatus("noConnection"); });
    socket.on("bot_uttered", onReply);
    socket.on("handover", handlers.onHandover);
    return {
      send: function (message) { if (ready) { emit(message); } else { waiting.push(message); } },
      poll: function () { if (ready) { socket.emit("handover_status", { session_id: sessionId }); } },
      close: function () { socket.close(); }
    };
  }

  // Over REST, staff messages and the state of a handover come with the reply to the next message.
  function restTransport(sessionId, onReply, onStatus, onSession, handlers) {
    sessionId = sessionId || randomId();
    var sent = Promise.resolve();  // one request at a time, so the server reads them in order
    return {
      send: function (message) {
        sent = sent.then(function () {
          return fetch(REST_WEBHOOK, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ sender: sessionId, message: message.text })
          });
        }).then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        }).then(function (replies) {
          onStatus("");
          replies.forEach(function (reply) {
            var custom = reply.custom || {};
            if (custom.handover) { handlers.onHandover(custom.handover); } else if (!message.quiet) { onReply(reply); }
          });
        }).catch(function () {
          onStatus("unreachable");
        });
      },
      poll: function () {},
      close: function () {}
    };
  }

  // The welcome in `language`; null when the server could not give it (the chat then opens
  // empty: the question box works all the same).
  function obtainWelcome(language, done) {
    fetch(WELCOME_URL + "?lang=" + encodeURIComponent(language), { cache: "no-store" })
      .then(function (response) { if (!response.ok) { throw new Error(String(response.status)); } return response.json(); })
      .then(function (body) { done(body); })
      .catch(function () { done(null); });
  }

  // The page's own texts in `texts`: elements marked data-i18n="key" get the text,
  // data-i18n-attr="attribute:key;…" the attributes.
  function applyTexts(texts) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-i18n]"), function (element) {
      element.textContent = texts[element.getAttribute("data-i18n")];
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-i18n-attr]"), function (element) {
      element.getAttribute("data-i18n-attr").split(";").forEach(function (pair) {
        var parts = pair.split(":");
        element.setAttribute(parts[0].trim(), texts[parts[1].trim()]);
      });
    });
  }

  // --- the chat ------------------------------------------------------------------------
  // options: { persist: keep the conversation (and the language) across page loads (phone,
  //            school site), storageKey, welcome: open with the bot's welcome (shown, nothing
  //            is sent until the visitor asks), onReset: called after a reset,
  //            idleSeconds: start afresh, in the page's first language, after this long
  //            without a touch (kiosk), onLanguage(language): the page now shows `language`,
  //            onAdd(entry, aside): a message was added; `aside` when it is the switch or its
  //            answer (the kiosk keeps its menu in view for those) }
  // The page's first language: ?lang=en in its address, else Dutch.
  function start(options) {
    var chat = document.querySelector(".chat");
    var log = document.getElementById("log");  // the live region, and what scrolls
    var list = document.getElementById("messages");
    var form = document.getElementById("composer");
    var input = document.getElementById("message");
    var status = document.getElementById("status");
    var switches = Array.prototype.slice.call(document.querySelectorAll(".lang-switch [data-language]"));
    var storage = options.persist ? window.localStorage : null;
    // The page the visitor is on, for staff when they ask for a person: the school's page around
    // an embedded chat (the frame's referrer), else this one; without query or fragment.
    var pageAddress = (function () {
      var address = window.parent !== window && document.referrer ? document.referrer : window.location.href;
      try { var url = new URL(address); return url.origin + url.pathname; } catch (e) { return ""; }
    })();
    var prefix = options.storageKey || "vragenbot-metaal";
    var storeKey = prefix + "-session";
    var historyKey = prefix + "-history";
    var savedAtKey = prefix + "-saved-at";
    var languageKey = prefix + "-language";
    var staffKey = prefix + "-staff-seen";  // the id of the last staff message shown
    var asked = new URLSearchParams(window.location.search).get("lang");
    var firstLanguage = isLanguage(asked) ? asked : DUTCH;
    var language = null;  // what the page shows
    var conversationLanguage = DUTCH;  // the conversation's, as its last answer said
    var statusKey = "";
    var history = [];
    var transport = null;
    var pending = [];
    var replyTimer = null;
    var idleTimer = null;
    var replyStart = null;  // the first message of the answer being shown
    var unanswered = null;  // the visitor's typed message until an answer tells its language
    var aside = false;  // the last message sent was the switch
    var welcomes = {};  // per language: undefined: not asked yet; null: not available
    var handover = { state: "none" };  // where the conversation stands with school staff
    var lastStaffId = 0;
    var pollTimer = null;
    var panel = document.getElementById("handover");
    var panelText = document.getElementById("handover-text");
    var cancelButton = document.getElementById("handover-cancel");

    function save() {
      if (!storage) { return; }
      try {
        storage.setItem(historyKey, JSON.stringify(history.slice(-100)));
        storage.setItem(languageKey, language);
        storage.setItem(savedAtKey, String(Date.now()));
        storage.setItem(staffKey, String(lastStaffId));
      } catch (e) { /* full or private */ }
    }

    function texts() { return TEXTS[language]; }

    function setStatus(key) {
      statusKey = key;
      status.textContent = key ? texts()[key] : "";
    }

    function setLanguage(next) {
      if (!isLanguage(next) || next === language) { return; }
      language = next;
      document.documentElement.lang = next;
      applyTexts(texts());
      switches.forEach(function (button) {
        button.setAttribute("aria-pressed", String(button.getAttribute("data-language") === next));
      });
      setStatus(statusKey);
      showHandover();
      if (storage) {
        try { storage.setItem(languageKey, next); } catch (e) { /* full or private */ }
      }
      if (options.onLanguage) { options.onLanguage(next); }
    }

    function appendText(parent, text) {
      var parts = text.split(/(https?:\/\/[^\s)]+)/g);
      parts.forEach(function (part, i) {
        if (i % 2 === 1) {
          var link = document.createElement("a");
          link.href = part; link.textContent = part; link.target = "_blank"; link.rel = "noopener noreferrer";
          parent.appendChild(link);
        } else if (part) {
          parent.appendChild(document.createTextNode(part));
        }
      });
    }

    // An entry: {who: "bot" | "staff" | "user", text, lang, shown} or {buttons: [{title, payload}], lang}.
    // `lang` goes on the element (screen readers pronounce by it), and the hidden "Jij: " / "You: "
    // and the buttons' group label are in it; an entry without one is in the page's language.
    // Who writes is read out before every message, and shown on staff messages and, once a
    // person was asked for, on the bot's (`shown`): "Medewerker: " / "Vragenbot: ".
    function render(entry) {
      var item = document.createElement("li");
      var own = TEXTS[entry.lang] || texts();
      if (isLanguage(entry.lang)) { item.lang = entry.lang; }
      if (entry.buttons) {
        // The group sits inside the list item: an <ol> may only hold <li>s (axe rule "list").
        var group = document.createElement("div");
        group.className = "buttons";
        group.setAttribute("role", "group");
        group.setAttribute("aria-label", own.choices);
        entry.buttons.forEach(function (b) {
          var button = document.createElement("button");
          button.type = "button";
          button.textContent = b.title;
          button.addEventListener("click", function () { ask(b.payload, b.title, entry.lang); });
          group.appendChild(button);
        });
        item.className = "choices";
        item.appendChild(group);
      } else {
        item.className = "msg msg--" + entry.who;
        // Who speaks, read out before the text (an aria-label on the item would replace the text).
        var speaker = document.createElement("span");
        var shown = entry.who === "staff" || (entry.who === "bot" && entry.shown);
        speaker.className = (shown ? "msg__speaker msg__speaker--shown" : "visually-hidden msg__speaker");
        speaker.textContent = entry.who === "staff" ? own.staff : entry.who === "bot" ? own.bot : own.you;
        var body = document.createElement("span");
        body.className = "msg__text";
        appendText(body, entry.text);
        item.appendChild(speaker);
        item.appendChild(body);
      }
      list.appendChild(item);
      return item;
    }

    // Scroll the conversation, never the page: scrollIntoView also scrolls the page and, on a
    // phone whose keyboard is open, the visible part of it, which pushed the question box
    // under the keyboard at every answer. An answer is shown from its start when it does not
    // fit; otherwise the conversation's end is.
    function reveal(first) {
      var end = log.scrollHeight - log.clientHeight;
      var top = first ? first.getBoundingClientRect().top - log.getBoundingClientRect().top + log.scrollTop - 8 : end;
      log.scrollTop = Math.max(0, Math.min(end, top));
    }

    function add(entry) {
      history.push(entry);
      save();
      var item = render(entry);
      if (entry.who === "user") {
        replyStart = null;
        reveal(null);
      } else {
        replyStart = replyStart || item;
        reveal(replyStart);
      }
      if (options.onAdd) { options.onAdd(entry, aside); }
      return item;
    }

    // A typed message is in the language its answer is in (the bot reads it so).
    function answeredIn(lang) {
      if (!unanswered) { return; }
      var entry = unanswered.entry, item = unanswered.item;
      unanswered = null;
      if (entry.lang === lang) { return; }
      entry.lang = lang;
      item.lang = lang;
      item.querySelector(".msg__speaker").textContent = TEXTS[lang].you;
      save();
    }

    function show(message, isWelcome) {
      var lang = isLanguage(message.lang) ? message.lang : undefined;  // the REST fallback does not say
      if (lang && !isWelcome) {
        answeredIn(lang);
        conversationLanguage = lang;
        setLanguage(lang);
      }
      var id = Number(message.id) || 0;  // a message of the handover's transcript (staff, or a notice)
      if (id) {
        if (id <= lastStaffId) { return; }  // already shown (sent again after a reload)
        lastStaffId = id;
      }
      if (message.sender === "staff") {
        if (message.text) { add({ who: "staff", text: message.text, lang: lang }); }
        return;
      }
      var shown = handover.state !== "none" || peopleAsked();
      if (message.text) { add({ who: "bot", text: message.text, lang: lang, shown: shown || undefined }); }
      var buttons = message.quick_replies || message.buttons;
      if (buttons && buttons.length) {
        add({ buttons: buttons.map(function (b) { return { title: b.title, payload: b.payload }; }), lang: lang });
      }
    }

    // Whether this conversation has been with school staff (then the bot's messages say who writes too).
    function peopleAsked() {
      return history.some(function (entry) { return entry.who === "staff" || entry.shown; });
    }

    // --- a person: the queue, the panel, who writes ---------------------------------------
    function inHandover() { return handover.state === "waiting" || handover.state === "taken"; }

    function showHandover() {
      if (!panel) { return; }
      var own = texts();
      panel.hidden = !inHandover();
      if (handover.state === "waiting") {
        panelText.textContent = handover.position > 1
          ? own.queuePosition.replace("{n}", String(handover.position)) : own.queueNext;
        cancelButton.textContent = own.cancelQueue;
      } else if (handover.state === "taken") {
        panelText.textContent = own.withStaff;
        cancelButton.textContent = own.endChat;
      } else {
        panelText.textContent = "";
      }
    }

    function onHandover(state) {
      if (!state || typeof state.state !== "string") { return; }
      var was = handover.state;
      handover = { state: state.state, position: Number(state.position) || 0 };
      lastStaffId = Math.max(lastStaffId, Number(state.seen) || 0);
      save();
      if (inHandover()) {
        clearTimeout(replyTimer);  // a person answers when they can: no "no answer" notice
        log.removeAttribute("aria-busy");
        if (was === "none") { setStatus(""); }
      }
      showHandover();
      clearInterval(pollTimer);
      pollTimer = handover.state === "waiting" ? setInterval(function () { if (transport) { transport.poll(); } }, QUEUE_POLL_MS) : null;
      touched();
    }

    function onReply(message) {
      clearTimeout(replyTimer);
      log.removeAttribute("aria-busy");
      setStatus("");
      show(message, false);
      touched();
    }

    // The bot's welcome, in the page's language, as its own first message. Nothing goes to the
    // server: a conversation is stored only once the visitor asks something. It does not turn
    // the page: it is the page's greeting (Dutch on an English page while the bot has no English).
    function showWelcome() {
      var wanted = language;
      if (welcomes[wanted] === undefined) {
        obtainWelcome(wanted, function (body) { welcomes[wanted] = body; if (wanted === language) { showWelcome(); } });
        return;
      }
      if (welcomes[wanted] && !history.length) { show(welcomes[wanted], true); }
    }

    function remember(sessionId) {
      if (storage && sessionId) {
        try { storage.setItem(storeKey, sessionId); } catch (e) { /* ignore */ }
      }
      document.body.setAttribute("data-session", sessionId || "");
    }

    function send(message) {
      if (transport) { transport.send(message); } else { pending.push(message); }  // a new id is on its way
    }

    function connect(sessionId) {
      if (transport) { transport.close(); }
      var make = typeof window.io === "function" ? socketTransport : restTransport;
      transport = make(sessionId, onReply, setStatus, function (replaced) {
        conversationLanguage = DUTCH;  // the server started another conversation
        remember(replaced);
      }, { onHandover: onHandover, lastStaffMessage: function () { return lastStaffId; } });
      while (pending.length) { transport.send(pending.shift()); }
    }

    // Ask `message` (a typed text, or a button's payload shown as its title `shownAs`, in the
    // language `lang` of its buttons); `isSwitch`: the language switch.
    function ask(message, shownAs, lang, isSwitch) {
      aside = Boolean(isSwitch);
      var entry = { who: "user", text: shownAs || message, lang: lang || language };
      var item = add(entry);
      unanswered = shownAs || inHandover() ? null : { entry: entry, item: item };
      clearTimeout(replyTimer);
      if (!inHandover()) {  // a person answers when they can; the bot at once
        log.setAttribute("aria-busy", "true");
        replyTimer = setTimeout(function () {
          log.removeAttribute("aria-busy");
          setStatus("noAnswer");
        }, REPLY_TIMEOUT_MS);
      }
      if (!isSwitch && conversationLanguage !== language) {
        send({ text: switchPayload(language), lang: language, quiet: true });  // a new conversation, on an English page
      }
      conversationLanguage = isSwitch ? lang : language;
      var sent = { text: message, lang: language };
      if (message.indexOf("/handover_start") === 0) { sent.page = pageAddress; }
      send(sent);
      touched();
    }

    function choose(next) {
      if (next === language) { return; }
      setLanguage(next);  // at once; the bot's answer confirms it
      ask(switchPayload(next), TEXTS[next].languageName, next, true);
    }

    // A new conversation: in the page's language after "Nieuw gesprek", in its first language
    // for the next visitor (idle).
    function reset(idle) {
      if (inHandover() && transport) {  // leave the queue (or the staff member) before starting afresh
        transport.send({ text: HANDOVER_CANCEL, lang: language, quiet: true });
      }
      clearInterval(pollTimer);
      handover = { state: "none" };
      lastStaffId = 0;
      showHandover();
      history = [];
      replyStart = null;
      unanswered = null;
      aside = false;
      list.textContent = "";
      setStatus("");
      if (idle === true) { setLanguage(firstLanguage); }
      conversationLanguage = DUTCH;
      if (storage) {
        try {
          storage.removeItem(storeKey);
          storage.removeItem(historyKey);
        } catch (e) { /* ignore */ }
        save();  // the language, kept with the time it was chosen
      }
      if (transport) {
        var closing = transport;
        setTimeout(function () { closing.close(); }, 500);  // time for the cancel to go out
        transport = null;
      }
      obtainSessionId(function (sessionId) {
        remember(sessionId);
        connect(sessionId);
        if (options.onReset) { options.onReset(); }
      });
      if (options.welcome) { showWelcome(); }
    }

    function touched() {
      if (!options.idleSeconds) { return; }
      clearTimeout(idleTimer);
      idleTimer = setTimeout(function () {
        // Never in the middle of a conversation with staff: the server's idle limits end that.
        if (!inHandover() && (history.length || language !== firstLanguage)) { reset(true); } else { touched(); }
      }, options.idleSeconds * 1000);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text) { return; }
      input.value = "";
      ask(text);
      // Ready for the next question, also after a tap on "Verstuur" (a phone keeps its keyboard).
      if (document.activeElement !== input) { input.focus({ preventScroll: true }); }
    });
    document.getElementById("restart").addEventListener("click", function () { reset(false); });
    if (cancelButton) {
      cancelButton.addEventListener("click", function () { ask(HANDOVER_CANCEL, cancelButton.textContent); });
    }
    switches.forEach(function (button) {
      button.addEventListener("click", function () { choose(button.getAttribute("data-language")); });
    });

    // A phone's on-screen keyboard covers the bottom of the page without making the page
    // shorter (iOS Safari; Chrome on Android without interactive-widget=resizes-content): the
    // chat is then made as high as what is still visible, so the question box sits just above
    // the keyboard. Left alone while the visitor zooms in (scale above 1).
    function fitVisibleArea() {
      var visible = window.visualViewport;
      if (!visible || !chat) { return; }
      var covered = visible.scale < 1.01 && visible.height < window.innerHeight - 1;
      chat.style.height = covered ? visible.height + "px" : "";
      if (covered && window.scrollY) { window.scrollTo(0, 0); }
    }
    if (window.visualViewport) {
      window.visualViewport.addEventListener("resize", fitVisibleArea);
      window.visualViewport.addEventListener("scroll", fitVisibleArea);
    }
    ["pointerdown", "keydown"].forEach(function (name) { document.addEventListener(name, touched); });

    // Continue the stored conversation (same session, same messages, same language), or start one.
    var stored = null, storedLanguage = null;
    if (storage) {
      try {
        stored = storage.getItem(storeKey);
        storedLanguage = storage.getItem(languageKey);
        history = JSON.parse(storage.getItem(historyKey) || "[]");
        lastStaffId = Number(storage.getItem(staffKey)) || 0;
        // A shared school computer: a conversation left alone for 2 hours is not shown again.
        if (Date.now() - Number(storage.getItem(savedAtKey) || 0) > STORED_HISTORY_MAX_IDLE_MS) {
          stored = null; storedLanguage = null; history = []; lastStaffId = 0;
        }
      } catch (e) { stored = null; storedLanguage = null; history = []; lastStaffId = 0; }
    }
    setLanguage(isLanguage(storedLanguage) ? storedLanguage : firstLanguage);
    if (stored && history.length) {
      conversationLanguage = language;  // in step with its last answer
      document.body.setAttribute("data-session", stored);
      connect(stored);
      history.forEach(render);
      reveal(null);
    } else {
      reset(false);
    }
    return { ask: function (message, shownAs) { ask(message, shownAs); }, reset: reset };
  }

  window.VragenbotChat = { start: start };
})();
