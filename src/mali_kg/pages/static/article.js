// The annotated article: select highlighted words to see what they support.
// Works without this script (links go to ?span=…); with it, no page reload.
(function () {
  "use strict";
  var text = document.querySelector(".article-text");
  var panel = document.getElementById("selection");
  if (!text || !panel) return;

  function highlight(key) {
    var segs = text.querySelectorAll(".seg");
    for (var i = 0; i < segs.length; i++) {
      var keys = (segs[i].getAttribute("data-spans") || "").split(" ");
      segs[i].classList.toggle("hl", keys.indexOf(key) >= 0);
    }
  }

  function show(keys) {
    panel.textContent = "";
    keys.forEach(function (key, n) {
      var source = document.getElementById(key);
      if (!source) return;
      var copy = source.cloneNode(true);
      copy.removeAttribute("id");
      copy.setAttribute("aria-labelledby", "sel-h-" + key);
      var h = copy.querySelector("h3");
      if (h) h.id = "sel-h-" + key;
      if (n > 0) {
        var within = document.createElement("p");
        within.className = "meta";
        within.textContent = "These words are also part of:";
        panel.appendChild(within);
      }
      panel.appendChild(copy);
    });
  }

  function select(key, keys, push) {
    highlight(key);
    show(keys && keys.length ? keys : [key]);
    if (push) {
      var url = new URL(window.location.href);
      url.searchParams.set("span", key);
      url.hash = "at-" + key;
      window.history.replaceState(null, "", url.toString());
    }
  }

  text.addEventListener("click", function (event) {
    var seg = event.target.closest ? event.target.closest("a.seg") : null;
    if (!seg) return;
    event.preventDefault();
    var keys = (seg.getAttribute("data-spans") || "").split(" ").filter(Boolean);
    if (keys.length) select(keys[0], keys, true);
  });

  // A link to /article#<span> or /article#at-<span> selects that span on load.
  var params = new URLSearchParams(window.location.search);
  var key = params.get("span");
  var hash = window.location.hash.replace(/^#(at-)?/, "");
  if (!key && hash && document.getElementById(hash) && document.getElementById(hash).classList.contains("annotation")) key = hash;
  if (key && document.getElementById(key)) {
    select(key, [key], false);
    var first = document.getElementById("at-" + key);
    if (first && !window.location.hash) first.scrollIntoView({block: "center"});
  }
})();
