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
})();
