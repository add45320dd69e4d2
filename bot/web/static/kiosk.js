// Open-day kiosk: topics and popular questions as big buttons, nothing kept between
// visitors, and a fresh conversation after a few idle minutes (?idle=SECONDS overrides).
// The "Onderwerpen" button below the conversation brings the topics back at any time.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("kiosk-config").textContent);
  var idleOverride = Number(new URLSearchParams(window.location.search).get("idle"));
  var startPanel = document.getElementById("start");
  var log = document.getElementById("log");
  var messages = document.getElementById("messages");
  var chat = null;

  // The menu takes the conversation's place while it is open; the conversation is back as
  // soon as the visitor asks something or an answer arrives.
  function showMenu(open) {
    startPanel.hidden = !open;
    log.hidden = open;
    if (open) { startPanel.scrollTop = 0; }
  }

  function fill(containerId, buttons) {
    var container = document.getElementById(containerId);
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

  fill("topics", config.topics);
  fill("popular", config.popular);
  document.getElementById("message").addEventListener("focus", function () { showMenu(false); });
  document.getElementById("show-topics").addEventListener("click", function () {
    showMenu(true);
    startPanel.querySelector("button").focus({ preventScroll: true });
  });
  new MutationObserver(function (changes) {
    var added = changes.some(function (change) { return change.addedNodes.length > 0; });
    if (added && !startPanel.hidden) { showMenu(false); }
  }).observe(messages, { childList: true });
  chat = VragenbotChat.start({
    persist: false,
    idleSeconds: idleOverride > 0 ? idleOverride : config.idleSeconds,
    onReset: function () { showMenu(true); window.scrollTo(0, 0); }
  });
})();
