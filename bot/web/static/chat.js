// Vragenbot Metaal web chat: talks to the Rasa server it was served from.
// Bot text is never inserted as HTML: text nodes only, with URLs made into links.
(function () {
  "use strict";
  var WEBHOOK = "webhook";
  var STORE_KEY = "vragenbot-metaal-sender";
  var HISTORY_KEY = "vragenbot-metaal-history";
  var history = [];
  var log = document.getElementById("log");
  var form = document.getElementById("composer");
  var input = document.getElementById("message");

  function newSender() {
    try { localStorage.removeItem(HISTORY_KEY); } catch (e) { /* ignore */ }
    var id = "web-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10);
    try { localStorage.setItem(STORE_KEY, id); } catch (e) { /* private mode: one page only */ }
    return id;
  }
  var sender = (function () {
    try { return localStorage.getItem(STORE_KEY) || newSender(); } catch (e) { return newSender(); }
  })();

  function appendText(parent, text) {
    // Split on URLs; everything else stays a text node.
    var parts = text.split(/(https?:\/\/[^\s)]+)/g);
    parts.forEach(function (part, i) {
      if (i % 2 === 1) {
        var a = document.createElement("a");
        a.href = part; a.textContent = part; a.target = "_blank"; a.rel = "noopener noreferrer";
        parent.appendChild(a);
      } else if (part) {
        parent.appendChild(document.createTextNode(part));
      }
    });
  }

  function remember(entry) {
    history.push(entry);
    try { localStorage.setItem(HISTORY_KEY, JSON.stringify(history.slice(-100))); } catch (e) { /* ignore */ }
  }

  function addMessage(text, who, restoring) {
    if (!restoring) { remember({ text: text, who: who }); }
    var item = document.createElement("li");
    item.className = "msg msg--" + who;
    appendText(item, text);
    log.appendChild(item);
    item.scrollIntoView({ block: "end" });
    return item;
  }

  function addButtons(buttons, restoring) {
    if (!restoring) { remember({ buttons: buttons }); }
    var group = document.createElement("li");
    group.className = "buttons";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Keuzes");
    buttons.forEach(function (b) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = b.title;
      button.addEventListener("click", function () { send(b.payload, b.title); });
      group.appendChild(button);
    });
    log.appendChild(group);
  }

  function send(message, shownAs) {
    addMessage(shownAs || message, "user");
    return fetch(WEBHOOK, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: sender, message: message })
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    }).then(function (replies) {
      replies.forEach(function (reply) {
        if (reply.text) { addMessage(reply.text, "bot"); }
        if (reply.buttons && reply.buttons.length) { addButtons(reply.buttons); }
      });
    }).catch(function () {
      addMessage("Sorry, ik ben even niet bereikbaar. Probeer het zo nog eens.", "error");
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    send(text);
  });

  document.getElementById("restart").addEventListener("click", function () {
    sender = newSender();
    history = [];
    log.textContent = "";
    send("hallo", "Hallo");
  });

  // A page reload continues the same conversation (same sender, same messages).
  try { history = JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]"); } catch (e) { history = []; }
  if (history.length) {
    history.forEach(function (entry) {
      if (entry.buttons) { addButtons(entry.buttons, true); } else { addMessage(entry.text, entry.who, true); }
    });
  } else {
    send("hallo", "Hallo");
  }
  input.focus();
})();
