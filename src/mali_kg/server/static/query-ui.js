// Starts YASGUI on /sparql with the project's example queries as tabs.
// Configuration comes from the JSON block in the page (no inline script: the CSP forbids it).
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("mali-kg-config").textContent);
  // Prefix completion from the project's own prefixes: nothing is fetched from elsewhere
  // (YASQE's default completers call prefix.cc and the LOV API).
  var Yasqe = Yasgui.Yasqe;
  var prefixList = Object.keys(config.prefixes).map(function (p) {
    return p + ": <" + config.prefixes[p] + ">";
  });
  Yasqe.forkAutocompleter("prefixes", {
    name: "projectPrefixes",
    persistenceId: null,
    get: function () { return prefixList; },
  });
  Yasqe.defaults.autocompleters = ["projectPrefixes", "variables"];
  // The editable text inside the editor's scrolling area, so keyboard and screen reader users
  // reach it there (CodeMirror's better-supported input for screen readers), with a name.
  Yasqe.defaults.inputStyle = "contenteditable";
  Yasqe.defaults.screenReaderLabel = "SPARQL query";
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } },
    persistenceId: "mali-kg-" + config.version,
    yasqe: { value: config.defaultQuery },
  });
  // Example tabs are (re)created when missing, so new or renamed examples show up.
  config.examples.forEach(function (example, i) {
    if (!yasgui.tabNameTaken(example.name)) {
      yasgui.addTab(i === 0, {
        name: example.name,
        yasqe: { value: example.query },
        requestConfig: { endpoint: config.endpoint },
      });
    }
  });
  if (config.initialQuery) {
    var tab = yasgui.addTab(true, {
      name: "Linked query",
      yasqe: { value: config.initialQuery },
      requestConfig: { endpoint: config.endpoint },
    });
    tab.show();
    tab.getYasqe().query();
  }
  window.maliKgYasgui = yasgui;

  // Accessibility of YASGUI's markup, kept up as it redraws: names for its unlabelled fields,
  // the query text as a named text box, tabs that point only at panels that exist, a tab list
  // that holds only tabs (the add-tab button moves just after it), arrow keys, Home and End
  // that move between the tabs, and greyed-out buttons marked disabled.
  var root = document.getElementById("yasgui");
  var LABELS = [
    [".yasr .CodeMirror textarea", "Query response"],
    [".controlbar input.autocomplete", "SPARQL endpoint"],
    [".tabsList .tab input", "Tab name"],
    [".yasr .tableSizer", "Rows per page"],
    [".yasr .tableFilter", "Filter the results"],
  ];

  function name(el, text) {
    if (!el.hasAttribute("aria-label") && !el.hasAttribute("aria-labelledby") &&
        !(el.labels && el.labels.length)) {
      el.setAttribute("aria-label", text);
    }
  }

  function labelFields() {
    LABELS.forEach(function (pair) {
      root.querySelectorAll(pair[0]).forEach(function (el) { name(el, pair[1]); });
    });
    // The settings menu: each field is named by the labels of its group and of itself.
    root.querySelectorAll(".tabMenu .requestConfigWrapper").forEach(function (group) {
      var heading = group.querySelector(":scope > .label");
      var groupName = heading ? heading.textContent.trim() : "Setting";
      group.querySelectorAll("select, input, textarea").forEach(function (el) {
        var own = el.parentElement.querySelector(":scope > .selectorLabel");
        var text = own ? groupName + ": " + own.textContent.trim() : groupName;
        if (el.placeholder) text += " (" + el.placeholder + ")";
        name(el, text);
      });
    });
  }

  function fixTabs() {
    var list = root.querySelector(".tabsList");
    if (!list) return;
    // aria-controls only while the panel exists (YASGUI draws a tab's panel when shown).
    list.querySelectorAll('[role="tab"]').forEach(function (tab) {
      var id = tab.getAttribute("aria-controls") || tab.getAttribute("data-controls");
      if (!id) return;
      tab.setAttribute("data-controls", id);
      if (document.getElementById(id)) tab.setAttribute("aria-controls", id);
      else tab.removeAttribute("aria-controls");
    });
    // YASGUI inserts new tabs before its (now empty) add-tab wrapper, which stays in place.
    var add = list.querySelector(".addTab");
    if (add) {
      var bar = list.parentElement;
      if (!bar.classList.contains("tabsBar")) {
        bar = document.createElement("div");
        bar.className = "tabsBar";
        list.parentElement.insertBefore(bar, list);
        bar.appendChild(list);
      }
      bar.appendChild(add);
    }
    if (!list.hasAttribute("aria-label")) list.setAttribute("aria-label", "Queries");
  }

  function fix() {
    fixTabs();
    labelFields();
    // The editable query text is a multi-line text box (CodeMirror marks it presentational).
    root.querySelectorAll('.yasqe .CodeMirror-code[contenteditable="true"]').forEach(function (el) {
      el.setAttribute("role", "textbox");
      el.setAttribute("aria-multiline", "true");
      if (document.getElementById("editor-keys")) el.setAttribute("aria-describedby", "editor-keys");
    });
    // Controls YASGUI greys out with a class are disabled for assistive technology too.
    root.querySelectorAll(".yasr_btn, .yasqe_btn").forEach(function (el) {
      if (el.classList.contains("disabled")) el.setAttribute("aria-disabled", "true");
      else el.removeAttribute("aria-disabled");
    });
    // The results table's row-number column has an empty header.
    root.querySelectorAll(".yasr table thead th").forEach(function (th) {
      if (!th.textContent.trim()) {
        var text = document.createElement("span");
        text.className = "visually-hidden";
        text.textContent = "Row";
        th.appendChild(text);
      }
    });
  }

  function moveBetweenTabs(event) {
    var keys = ["ArrowLeft", "ArrowRight", "Home", "End"];
    if (keys.indexOf(event.key) < 0 || event.target.getAttribute("role") !== "tab") return;
    var tabs = Array.prototype.slice.call(this.querySelectorAll('[role="tab"]'));
    var at = tabs.indexOf(event.target);
    if (at < 0) return;
    var to = {ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: tabs.length - 1}[event.key];
    to = (to + tabs.length) % tabs.length;
    // Instead of YASGUI's own handler, which counts the add-tab wrapper as a tab.
    event.stopPropagation();
    event.preventDefault();
    tabs.forEach(function (tab, i) {
      if (i !== to && tab.getAttribute("aria-selected") !== "true") tab.tabIndex = -1;
    });
    tabs[to].tabIndex = 0;
    tabs[to].focus();
  }

  var tabList = root.querySelector(".tabsList");
  if (tabList) tabList.addEventListener("keydown", moveBetweenTabs, true);
  var pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      fix();
    });
  }).observe(root, {childList: true, subtree: true, attributes: true,
                    attributeFilter: ["class"]});
  fix();
})();
