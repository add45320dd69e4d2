// Vragenbot Metaal chat, shared by the chat page and the kiosk.
// Talks socket.io to the Rasa server the page came from; falls back to its REST channel
// when the socket.io client is missing. Bot text is never inserted as HTML: text nodes
// only, with URLs made into links.
(function () {
  "use strict";

  var REST_WEBHOOK = "../rest/webhook";
  var SESSION_URL = "session";
  var WELCOME_URL = "welcome";  // the bot's answer to a greeting, from domain.yml (bot/web/channel.py)
  var REPLY_TIMEOUT_MS = 20000;
  var STORED_HISTORY_MAX_IDLE_MS = 2 * 60 * 60 * 1000;  // then a reload starts afresh

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

  // --- transports: send(text); replies arrive through onReply(message) ---------------
  function socketTransport(sessionId, onReply, onStatus, onSession) {
    // The session id in the query of every request lets a proxy in front of several Rasa
    // processes (scripts/run-scaled) send the whole conversation to one of them.
    var socket = window.io({ path: "/socket.io", query: sessionId ? { session_id: sessionId } : {} });
    var ready = false;
    var waiting = [];
    socket.on("connect", function () { socket.emit("session_request", { session_id: sessionId }); });
    socket.on("session_confirm", function (confirmed) {
      if (confirmed !== sessionId) { sessionId = confirmed; onSession(confirmed); }  // ours was not valid
      ready = true;
      onStatus("");
      while (waiting.length) { socket.emit("user_uttered", { message: waiting.shift(), session_id: sessionId }); }
    });
    socket.on("disconnect", function () { ready = false; onStatus("Verbinding verbroken. Ik probeer opnieuw te verbinden…"); });
    socket.on("connect_error", function () { onStatus("Geen verbinding met de chatbot. Ik probeer het opnieuw…"); });
    socket.on("bot_uttered", onReply);
    return {
      send: function (text) {
        if (ready) { socket.emit("user_uttered", { message: text, session_id: sessionId }); } else { waiting.push(text); }
      },
      close: function () { socket.close(); }
    };
  }

  function restTransport(sessionId, onReply, onStatus) {
    sessionId = sessionId || randomId();
    return {
      send: function (text) {
        fetch(REST_WEBHOOK, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ sender: sessionId, message: text })
        }).then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        }).then(function (replies) {
          onStatus("");
          replies.forEach(onReply);
        }).catch(function () {
          onStatus("Sorry, ik ben even niet bereikbaar. Probeer het zo nog eens.");
        });
      },
      close: function () {}
    };
  }

  // The welcome is fetched once per page and shown at every fresh start; null when the server
  // could not give it (the chat then opens empty: the question box works all the same).
  function obtainWelcome(done) {
    fetch(WELCOME_URL, { cache: "no-store" })
      .then(function (response) { if (!response.ok) { throw new Error(String(response.status)); } return response.json(); })
      .then(function (body) { done(body); })
      .catch(function () { done(null); });
  }

  // --- the chat ------------------------------------------------------------------------
  // options: { persist: keep the conversation across page loads (phone, school site),
  //            storageKey, welcome: open with the bot's welcome (shown, nothing is sent until
  //            the visitor asks), onReset: called after a reset,
  //            idleSeconds: start afresh after this long without a touch (kiosk) }
  function start(options) {
    var chat = document.querySelector(".chat");
    var log = document.getElementById("log");  // the live region, and what scrolls
    var list = document.getElementById("messages");
    var form = document.getElementById("composer");
    var input = document.getElementById("message");
    var status = document.getElementById("status");
    var storage = options.persist ? window.localStorage : null;
    var storeKey = (options.storageKey || "vragenbot-metaal") + "-session";
    var historyKey = (options.storageKey || "vragenbot-metaal") + "-history";
    var savedAtKey = (options.storageKey || "vragenbot-metaal") + "-saved-at";
    var history = [];
    var transport = null;
    var pending = [];
    var replyTimer = null;
    var idleTimer = null;
    var replyStart = null;  // the first message of the answer being shown
    var welcome;  // undefined: not asked yet; null: not available

    function save() {
      if (!storage) { return; }
      try {
        storage.setItem(historyKey, JSON.stringify(history.slice(-100)));
        storage.setItem(savedAtKey, String(Date.now()));
      } catch (e) { /* full or private */ }
    }

    function setStatus(text) { status.textContent = text; }

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

    function render(entry) {
      var item = document.createElement("li");
      if (entry.buttons) {
        // The group sits inside the list item: an <ol> may only hold <li>s (axe rule "list").
        var group = document.createElement("div");
        group.className = "buttons";
        group.setAttribute("role", "group");
        group.setAttribute("aria-label", "Keuzes");
        entry.buttons.forEach(function (b) {
          var button = document.createElement("button");
          button.type = "button";
          button.textContent = b.title;
          button.addEventListener("click", function () { ask(b.payload, b.title); });
          group.appendChild(button);
        });
        item.className = "choices";
        item.appendChild(group);
      } else {
        item.className = "msg msg--" + entry.who;
        // Who speaks, read out before the text (an aria-label on the item would replace the text).
        var speaker = document.createElement("span");
        speaker.className = "visually-hidden";
        speaker.textContent = entry.who === "bot" ? "Vragenbot: " : "Jij: ";
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
    }

    function show(message) {
      if (message.text) { add({ who: "bot", text: message.text }); }
      var buttons = message.quick_replies || message.buttons;
      if (buttons && buttons.length) {
        add({ buttons: buttons.map(function (b) { return { title: b.title, payload: b.payload }; }) });
      }
    }

    function onReply(message) {
      clearTimeout(replyTimer);
      log.removeAttribute("aria-busy");
      setStatus("");
      show(message);
      touched();
    }

    // The bot's welcome as its own first message. Nothing goes to the server: a conversation
    // is stored only once the visitor asks something.
    function showWelcome() {
      if (welcome === undefined) {
        obtainWelcome(function (body) { welcome = body; showWelcome(); });
        return;
      }
      if (welcome && !history.length) { show(welcome); }
    }

    function remember(sessionId) {
      if (storage && sessionId) {
        try { storage.setItem(storeKey, sessionId); } catch (e) { /* ignore */ }
      }
      document.body.setAttribute("data-session", sessionId || "");
    }

    function connect(sessionId) {
      if (transport) { transport.close(); }
      var make = typeof window.io === "function" ? socketTransport : restTransport;
      transport = make(sessionId, onReply, setStatus, remember);
      while (pending.length) { transport.send(pending.shift()); }
    }

    function ask(message, shownAs) {
      add({ who: "user", text: shownAs || message });
      log.setAttribute("aria-busy", "true");
      clearTimeout(replyTimer);
      replyTimer = setTimeout(function () {
        log.removeAttribute("aria-busy");
        setStatus("Ik krijg geen antwoord van de chatbot. Probeer het zo nog eens.");
      }, REPLY_TIMEOUT_MS);
      if (transport) { transport.send(message); } else { pending.push(message); }  // a new id is on its way
      touched();
    }

    function reset() {
      history = [];
      replyStart = null;
      list.textContent = "";
      setStatus("");
      if (storage) {
        try {
          storage.removeItem(storeKey);
          storage.removeItem(historyKey);
          storage.removeItem(savedAtKey);
        } catch (e) { /* ignore */ }
      }
      if (transport) { transport.close(); transport = null; }
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
      idleTimer = setTimeout(function () { if (history.length) { reset(); } else { touched(); } },
                             options.idleSeconds * 1000);
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
    document.getElementById("restart").addEventListener("click", reset);

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

    // Continue the stored conversation (same session, same messages), or start one.
    var stored = null;
    if (storage) {
      try {
        stored = storage.getItem(storeKey);
        history = JSON.parse(storage.getItem(historyKey) || "[]");
        // A shared school computer: a conversation left alone for 2 hours is not shown again.
        if (Date.now() - Number(storage.getItem(savedAtKey) || 0) > STORED_HISTORY_MAX_IDLE_MS) {
          stored = null; history = [];
        }
      } catch (e) { stored = null; history = []; }
    }
    if (stored && history.length) {
      document.body.setAttribute("data-session", stored);
      connect(stored);
      history.forEach(render);
      reveal(null);
    } else {
      reset();
    }
    return { ask: ask, reset: reset };
  }

  window.VragenbotChat = { start: start };
})();
