// Open-day kiosk: topics and popular questions as big buttons, nothing kept between
// visitors, and a fresh conversation after a few idle minutes (?idle=SECONDS overrides).
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("kiosk-config").textContent);
  var idleOverride = Number(new URLSearchParams(window.location.search).get("idle"));
  var startPanel = document.getElementById("start");
  var chat = null;

  function fill(containerId, buttons) {
    var container = document.getElementById(containerId);
    buttons.forEach(function (b) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "kiosk__button";
      button.textContent = b.title;
      button.addEventListener("click", function () {
        startPanel.hidden = true;
        chat.ask(b.payload, b.title);
      });
      container.appendChild(button);
    });
  }

  fill("topics", config.topics);
  fill("popular", config.popular);
  document.getElementById("message").addEventListener("focus", function () { startPanel.hidden = true; });
  chat = VragenbotChat.start({
    persist: false,
    idleSeconds: idleOverride > 0 ? idleOverride : config.idleSeconds,
    onReset: function () { startPanel.hidden = false; window.scrollTo(0, 0); }
  });
})();
