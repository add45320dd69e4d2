// Puts Vragenbot Metaal on any page: a "Stel je vraag" button that opens the chat in a
// panel. The chat itself runs in an iframe served by the bot, so the host page needs no
// CORS setting and none of its styles or scripts can touch the chat.
//   <script src="https://BOT-HOST/webhooks/webchat/static/embed.js" defer></script>
// On a page in English (<html lang="en…">) the button is English and the chat opens in English.
(function () {
  "use strict";
  var TEXTS = {
    nl: { open: "Vragen over metaalopleidingen? Chat met ons", close: "Chat sluiten" },
    en: { open: "Questions about metal programmes? Chat with us", close: "Close chat" }
  };
  var script = document.currentScript;
  var language = /^en\b/i.test(document.documentElement.lang || "") ? "en" : "nl";
  var texts = TEXTS[language];
  var chatUrl = new URL(language === "en" ? "../chat?lang=en" : "../chat", script.src).href;
  var open = false;

  var launcher = document.createElement("button");
  launcher.type = "button";
  launcher.id = "vragenbot-launcher";
  launcher.lang = language;
  launcher.textContent = texts.open;
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "vragenbot-panel");
  launcher.style.cssText = "position:fixed;right:1rem;bottom:1rem;z-index:2147483000;font:inherit;" +
    "padding:.8rem 1.1rem;border:0;border-radius:2rem;background:#0b5cad;color:#fff;cursor:pointer;" +
    "box-shadow:0 2px 8px rgba(0,0,0,.25)";

  var frame = document.createElement("iframe");
  frame.id = "vragenbot-panel";
  frame.title = "Vragenbot Metaal";
  frame.hidden = true;
  frame.style.cssText = "position:fixed;right:1rem;bottom:4.5rem;z-index:2147483000;width:min(26rem,calc(100vw - 2rem));" +
    "height:min(36rem,calc(100vh - 6rem));border:1px solid #c5ccd3;border-radius:.8rem;background:#fff;" +
    "box-shadow:0 4px 16px rgba(0,0,0,.25)";

  launcher.addEventListener("click", function () {
    open = !open;
    if (open && !frame.src) { frame.src = chatUrl; }
    frame.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    launcher.textContent = open ? texts.close : texts.open;
    if (open) { frame.focus(); }
  });

  document.body.appendChild(frame);
  document.body.appendChild(launcher);
})();
