// The staff console (bot/handover/console.py serves it and its JSON API).
// Polls the API every POLL_MS: the waiting and taken conversations, the chosen conversation's new
// messages, the left messages. New waiting conversations are announced in #announcements (a polite
// live region) and in the tab's title. Text from users is never inserted as HTML: text nodes only.
// Every POST carries the session's CSRF token (X-CSRF-Token) and a JSON body.
(function () {
  "use strict";

  var POLL_MS = 2000;
  var MAX_REPLY = 2000;
  var TEXTS = {  // what staff read; Dutch
    title: "Gesprekken overnemen – Vragenbot Metaal",
    newWaitingOne: "Nieuw: er wacht iemand in de chat (wachtrij: {n}).",
    newWaitingMany: "Nieuw: er wachten {new} mensen in de chat (wachtrij: {n}).",
    waitingAtStart: "Er wacht iemand in de chat (wachtrij: {n}).",
    waiting: "Wacht",
    waitingSince: "wacht sinds {time}",
    place: "nummer {n} in de wachtrij",
    takenByMe: "Bij jou",
    takenBy: "Bij {name}",
    takenSince: "sinds {time}",
    page: "pagina: {page}",
    noPage: "pagina onbekend",
    conversation: "Gesprek {id}",
    stateWaiting: "wacht op een medewerker",
    stateTaken: "overgenomen door {name}",
    stateTakenByMe: "overgenomen door jou",
    stateEnded: "beëindigd: {reason}",
    reasons: {
      handed_back: "teruggegeven aan de chatbot", staff_closed: "gesloten door een medewerker",
      user_cancelled: "de gebruiker is gestopt", user_idle: "de gebruiker reageerde niet meer",
      staff_idle: "de medewerker reageerde niet meer", wait_limit: "niemand nam het op tijd over",
      closing_time: "de openingstijd was voorbij"
    },
    factState: "Status", factChannel: "Kanaal", factLanguage: "Taal", factPage: "Pagina",
    factWaiting: "Wacht sinds", factPlace: "Plaats in de wachtrij", factTaken: "Overgenomen",
    languages: { nl: "Nederlands", en: "Engels" },
    channels: { web: "webchat", webchat: "webchat", kiosk: "kiosk", rest: "REST", slack: "Slack",
                teams: "Teams", botframework: "Teams" },
    user: "Gebruiker",
    bot: "Vragenbot",
    staff: "Medewerker",
    staffNamed: "Medewerker {name}",
    system: "Bericht aan de gebruiker",
    noEarlier: "Geen eerder gesprek met de chatbot bewaard.",
    noTranscript: "Nog geen berichten.",
    took: "Je hebt gesprek {id} overgenomen. Typ je antwoord hieronder.",
    handedBack: "Gesprek {id} is teruggegeven aan de chatbot.",
    closed: "Gesprek {id} is gesloten.",
    sent: "Verstuurd.",
    charsLeft: "Nog {n} tekens.",
    tooLong: "Je antwoord is {n} tekens te lang.",
    handled: "afgehandeld",
    handledOn: "afgehandeld op {time}",
    markHandled: "Afgehandeld",
    markHandledFor: "Bericht van {time} afgehandeld",
    leftAt: "{time} · {language}",
    contact: "Contact: ",
    markedHandled: "Het bericht is op afgehandeld gezet.",
    noConnection: "Geen verbinding met de server. Ik probeer het opnieuw…",
    failed: "Dat lukte niet: {reason}"
  };

  var body = document.body;
  var csrfToken = body.getAttribute("data-csrf-token");
  var me = body.getAttribute("data-username");
  var timezone = "Europe/Amsterdam";
  var known = null;          // ids of the waiting conversations at the last poll (null before the first)
  var lastList = "";         // the last list, as JSON, to redraw only on a change
  var lastLeft = "";
  var chosen = null;         // the chosen conversation's id
  var chosenHandover = null; // and its facts, as last read
  var shownMessages = {};    // ids of the transcript's messages on screen
  var lastMessageId = 0;
  var pollTimer = null;

  function $(id) { return document.getElementById(id); }
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) { return values[key] !== undefined ? values[key] : all; });
  }
  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) { made.className = className; }
    if (text !== undefined && text !== null) { made.textContent = text; }
    return made;
  }
  function time(iso, withDate) {
    if (!iso) { return ""; }
    var options = { hour: "2-digit", minute: "2-digit", timeZone: timezone };
    if (withDate) { options.day = "numeric"; options.month = "short"; }
    try { return new Intl.DateTimeFormat("nl-NL", options).format(new Date(iso)); }
    catch (e) { return iso; }
  }
  function say(text) {  // the polite live region: emptied first, so the same text is read again
    var region = $("announcements");
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }
  function problem(text) { $("problem").textContent = text || ""; }

  // --- talking to the server -------------------------------------------------------------------
  function request(method, url, data) {
    var options = { method: method, credentials: "same-origin", cache: "no-store", headers: {} };
    if (method === "POST") {
      options.headers["X-CSRF-Token"] = csrfToken;
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(data || {});
    }
    return fetch(url, options).then(function (response) {
      if (response.status === 401) { window.location.href = "signin"; throw new Error("signed out"); }
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (!response.ok) {
          var error = new Error(answer.error || String(response.status));
          error.shown = Boolean(answer.error);
          throw error;
        }
        return answer;
      });
    });
  }
  function failed(error) {
    problem(error && error.shown ? fill(TEXTS.failed, { reason: error.message }) : TEXTS.noConnection);
  }

  // --- the lists of conversations ---------------------------------------------------------------
  function queueItem(handover) {
    var item = element("li", "queue__item queue__item--" + handover.state);
    var button = element("button");
    button.type = "button";
    button.setAttribute("data-id", String(handover.id));
    if (handover.id === chosen) { button.setAttribute("aria-current", "true"); }
    var state = handover.state === "waiting" ? TEXTS.waiting + " · " + fill(TEXTS.place, { n: handover.position })
      : (handover.taken_by_me ? TEXTS.takenByMe : fill(TEXTS.takenBy, { name: handover.taken_by_name || "" }));
    button.appendChild(element("span", "queue__state", fill(TEXTS.conversation, { id: handover.id }) + " – " + state));
    var since = handover.state === "waiting" ? fill(TEXTS.waitingSince, { time: time(handover.created_at) })
      : fill(TEXTS.takenSince, { time: time(handover.taken_at) });
    var channel = TEXTS.channels[handover.channel] || handover.channel;
    button.appendChild(element("span", "queue__detail", since + " · " + channel));
    button.appendChild(element("span", "queue__detail",
      handover.page ? fill(TEXTS.page, { page: handover.page }) : TEXTS.noPage));
    button.addEventListener("click", function () { choose(handover.id); });
    item.appendChild(button);
    return item;
  }

  function drawList(list) {
    var focusedId = document.activeElement && document.activeElement.closest &&
      document.activeElement.closest(".queue") ? document.activeElement.getAttribute("data-id") : null;
    var waiting = list.handovers.filter(function (h) { return h.state === "waiting"; });
    var taken = list.handovers.filter(function (h) { return h.state === "taken"; });
    [["waiting", waiting], ["taken", taken]].forEach(function (pair) {
      var holder = $(pair[0]);
      holder.textContent = "";
      pair[1].forEach(function (handover) { holder.appendChild(queueItem(handover)); });
      $(pair[0] + "-count").textContent = String(pair[1].length);
      $(pair[0] + "-empty").hidden = pair[1].length > 0;
    });
    if (focusedId) {
      var again = document.querySelector('.queue button[data-id="' + focusedId + '"]');
      if (again) { again.focus(); }
    }
  }

  function announce(list) {
    var waiting = list.handovers.filter(function (h) { return h.state === "waiting"; });
    var ids = waiting.map(function (h) { return h.id; });
    if (known === null) {
      if (ids.length) { say(fill(TEXTS.waitingAtStart, { n: ids.length })); }
    } else {
      var fresh = ids.filter(function (id) { return known.indexOf(id) < 0; });
      if (fresh.length === 1) { say(fill(TEXTS.newWaitingOne, { n: ids.length })); }
      else if (fresh.length > 1) { say(fill(TEXTS.newWaitingMany, { "new": fresh.length, n: ids.length })); }
    }
    known = ids;
    document.title = (ids.length ? "(" + ids.length + ") " : "") + TEXTS.title;
  }

  // --- one conversation --------------------------------------------------------------------------
  function choose(id) {
    chosen = id;
    chosenHandover = null;
    shownMessages = {};
    lastMessageId = 0;
    $("transcript").textContent = "";
    $("before").textContent = "";
    $("conversation-hint").hidden = true;
    $("conversation-body").hidden = false;
    $("conversation-title").textContent = fill(TEXTS.conversation, { id: id });
    Array.prototype.forEach.call(document.querySelectorAll(".queue button"), function (button) {
      if (button.getAttribute("data-id") === String(id)) { button.setAttribute("aria-current", "true"); }
      else { button.removeAttribute("aria-current"); }
    });
    readConversation().catch(failed);
  }

  function stateText(handover) {
    if (handover.state === "waiting") { return TEXTS.stateWaiting; }
    if (handover.state === "taken") {
      return handover.taken_by_me ? TEXTS.stateTakenByMe : fill(TEXTS.stateTaken, { name: handover.taken_by_name || "" });
    }
    return fill(TEXTS.stateEnded, { reason: TEXTS.reasons[handover.end_reason] || handover.state });
  }

  function drawFacts(handover) {
    var facts = $("conversation-facts");
    facts.textContent = "";
    var rows = [[TEXTS.factState, stateText(handover)],
                [TEXTS.factChannel, TEXTS.channels[handover.channel] || handover.channel],
                [TEXTS.factLanguage, TEXTS.languages[handover.language] || handover.language],
                [TEXTS.factPage, handover.page || TEXTS.noPage],
                [TEXTS.factWaiting, time(handover.created_at, true)]];
    if (handover.state === "waiting") { rows.push([TEXTS.factPlace, String(handover.position)]); }
    if (handover.taken_at) { rows.push([TEXTS.factTaken, time(handover.taken_at, true)]); }
    rows.forEach(function (row) {
      facts.appendChild(element("dt", "", row[0]));
      facts.appendChild(element("dd", "", row[1]));
    });
    var mine = handover.state === "taken" && handover.taken_by_me;
    $("take").hidden = handover.state !== "waiting";
    $("hand-back").hidden = !mine;
    $("close").hidden = !(mine || handover.state === "waiting");
    $("reply-form").hidden = !mine;
  }

  function messageItem(message) {
    var sender = message.sender;
    var who = sender === "staff" ? (message.staff_name ? fill(TEXTS.staffNamed, { name: message.staff_name }) : TEXTS.staff)
      : (TEXTS[sender] || sender);
    var item = element("li", "msg msg--" + sender);
    item.appendChild(element("span", "msg__who", who + (message.created_at ? " · " + time(message.created_at) : "")));
    item.appendChild(document.createTextNode(message.text));
    return item;
  }

  function readConversation() {
    var id = chosen;
    var earlier = chosenHandover === null ? "&before=1" : "";  // the chat with the bot: once per choice
    return request("GET", "api/handovers/" + id + "?after=" + lastMessageId + earlier).then(function (answer) {
      if (id !== chosen) { return; }  // another was chosen meanwhile
      chosenHandover = answer.handover;
      drawFacts(answer.handover);
      if (answer.before) {
        var before = $("before");
        before.textContent = "";
        if (!answer.before.length) { before.appendChild(element("li", "transcript__empty", TEXTS.noEarlier)); }
        answer.before.forEach(function (message) { before.appendChild(messageItem(message)); });
      }
      var transcript = $("transcript");
      var log = $("transcript-log");
      var atEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
      answer.messages.forEach(function (message) {
        lastMessageId = Math.max(lastMessageId, message.id);
        if (shownMessages[message.id]) { return; }
        shownMessages[message.id] = true;
        var empty = transcript.querySelector(".transcript__empty");
        if (empty) { empty.remove(); }
        transcript.appendChild(messageItem(message));
      });
      if (!transcript.children.length) { transcript.appendChild(element("li", "transcript__empty", TEXTS.noTranscript)); }
      if (atEnd) { log.scrollTop = log.scrollHeight; }
    });
  }

  function act(action, done) {
    var id = chosen;
    problem("");
    return request("POST", "api/handovers/" + id + "/" + action).then(function () {
      done(id);
      return poll(true);
    }).catch(failed);
  }

  $("take").addEventListener("click", function () {
    act("take", function (id) {
      say(fill(TEXTS.took, { id: id }));
      return readConversation().then(function () { $("reply").focus(); });
    });
  });
  $("hand-back").addEventListener("click", function () {
    act("hand-back", function (id) { say(fill(TEXTS.handedBack, { id: id })); $("conversation-title").focus(); });
  });
  $("close").addEventListener("click", function () {
    act("close", function (id) { say(fill(TEXTS.closed, { id: id })); $("conversation-title").focus(); });
  });

  function countChars() {
    var length = $("reply").value.length;
    $("reply-count").textContent = length > MAX_REPLY ? fill(TEXTS.tooLong, { n: length - MAX_REPLY })
      : fill(TEXTS.charsLeft, { n: MAX_REPLY - length });
  }
  $("reply").addEventListener("input", countChars);
  $("reply").addEventListener("keydown", function (event) {  // Enter sends, Shift+Enter is a new line
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("reply-form").requestSubmit();
    }
  });
  $("reply-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = $("reply").value.trim();
    if (!text || chosen === null) { return; }
    problem("");
    request("POST", "api/handovers/" + chosen + "/reply", { text: text }).then(function () {
      $("reply").value = "";
      countChars();
      return readConversation();
    }).catch(failed);
  });

  $("sign-out").addEventListener("click", function () {
    request("POST", "signout").then(function () { window.location.href = "signin?uitgelogd=1"; }).catch(failed);
  });

  // --- left messages -----------------------------------------------------------------------------
  function drawLeft(answer) {
    var focusedId = document.activeElement && document.activeElement.closest &&
      document.activeElement.closest("#left") ? document.activeElement.getAttribute("data-id") : null;
    var list = $("left");
    list.textContent = "";
    answer.messages.slice().sort(function (a, b) { return (a.handled ? 1 : 0) - (b.handled ? 1 : 0); })
      .forEach(function (message) {
        var item = element("li", message.handled ? "is-handled" : "");
        item.appendChild(element("p", "left__meta", fill(TEXTS.leftAt, {
          time: time(message.created_at, true), language: TEXTS.languages[message.language] || message.language })));
        item.appendChild(element("p", "left__question", message.question));
        var contact = element("p", "left__contact", TEXTS.contact);
        contact.appendChild(document.createTextNode(message.contact));
        item.appendChild(contact);
        if (message.handled) {
          item.appendChild(element("p", "left__handled", fill(TEXTS.handledOn, { time: time(message.handled_at, true) })));
        } else {
          var button = element("button", "", TEXTS.markHandled);
          button.type = "button";
          button.setAttribute("data-id", String(message.id));
          button.setAttribute("aria-label", fill(TEXTS.markHandledFor, { time: time(message.created_at, true) }));
          button.addEventListener("click", function () {
            request("POST", "api/messages/" + message.id + "/handled").then(function () {
              say(TEXTS.markedHandled);
              return pollLeft(true).then(function () { $("left-title").focus(); });
            }).catch(failed);
          });
          item.appendChild(button);
        }
        list.appendChild(item);
      });
    $("left-count").textContent = String(answer.unhandled);
    $("left-empty").hidden = answer.messages.length > 0;
    if (focusedId) {
      var again = list.querySelector('button[data-id="' + focusedId + '"]');
      if (again) { again.focus(); }
    }
  }

  function pollLeft(force) {
    return request("GET", "api/messages").then(function (answer) {
      var seen = JSON.stringify(answer);
      if (force || seen !== lastLeft) { lastLeft = seen; drawLeft(answer); }
    });
  }

  // --- polling -----------------------------------------------------------------------------------
  function poll(force) {
    return request("GET", "api/handovers").then(function (list) {
      timezone = list.timezone || timezone;
      announce(list);
      var seen = JSON.stringify(list.handovers);
      if (force || seen !== lastList) { lastList = seen; drawList(list); }
      var reads = [pollLeft(force)];
      if (chosen !== null) { reads.push(readConversation()); }
      return Promise.all(reads);
    }).then(function () {
      if ($("problem").textContent === TEXTS.noConnection) { problem(""); }
    });
  }

  function tick() {
    poll(false).catch(failed).then(function () { pollTimer = window.setTimeout(tick, POLL_MS); });
  }

  $("left-title").setAttribute("tabindex", "-1");
  countChars();
  tick();
  window.VragenbotConsole = { me: me, poll: poll, stop: function () { window.clearTimeout(pollTimer); } };
})();
