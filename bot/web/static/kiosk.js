// Open-day kiosk: topics and popular questions as big buttons, nothing kept between
// visitors, and a fresh conversation, in Dutch, after a few idle minutes (?idle=SECONDS
// overrides). The "Onderwerpen" button below the conversation brings the topics back at any
// time. The NL | EN switch in the header turns the whole screen, buttons included.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("kiosk-config").textContent);
  var idleOverride = Number(new URLSearchParams(window.location.search).get("idle"));
  var idleSeconds = idleOverride > 0 ? idleOverride : config.idleSeconds;
  var startPanel = document.getElementById("start");
  var log = document.getElementById("log");
  var chat = null;

  // The menu takes the conversation's place while it is open; the conversation is back as
  // soon as the visitor asks something or an answer arrives (not for the language switch).
  function showMenu(open) {
    startPanel.hidden = !open;
    log.hidden = open;
    if (open) { startPanel.scrollTop = 0; }
  }

  function fill(containerId, buttons) {
    var container = document.getElementById(containerId);
    container.textContent = "";
    buttons.forEach(function (b) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "kiosk__button";
      button.textContent = b.title;
      button.addEventListener("click", function () {
        showMenu(false);
        chat.ask(b.payload, b.title);
      });
      container.appendChild(button);
    });
  }

  // "Raakt niemand het scherm 2 minuten aan, …" with the kiosk's own idle time.
  function idleTime(texts) {
    if (idleSeconds % 60 !== 0) { return texts.seconds.replace("{n}", String(idleSeconds)); }
    return idleSeconds === 60 ? texts.oneMinute : texts.minutes.replace("{n}", String(idleSeconds / 60));
  }

  function showLanguage(language) {
    fill("topics", config.topics[language]);
    fill("popular", config.popular[language]);
    var texts = window.VragenbotTexts[language];
    document.getElementById("idle-note").textContent = texts.idleNote.replace("{time}", idleTime(texts));
  }

  document.getElementById("message").addEventListener("focus", function () { showMenu(false); });
  document.getElementById("show-topics").addEventListener("click", function () {
    showMenu(true);
    startPanel.querySelector("button").focus({ preventScroll: true });
  });
  chat = VragenbotChat.start({
    persist: false,
    idleSeconds: idleSeconds,
    onLanguage: showLanguage,
    onAdd: function (entry, aside) { if (!aside && !startPanel.hidden) { showMenu(false); } },
    onReset: function () { showMenu(true); window.scrollTo(0, 0); }
  });
})();
