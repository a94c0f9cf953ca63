/* Autosave for self-assessment steps (progressive enhancement: without it, every button saves).
   Every few seconds, if anything changed, the step is posted to its autosave address. The
   answer versions that come back are written into the form, so the next save (autosave or
   button) starts from what is stored. If someone else saved meanwhile, nothing is overwritten:
   the person is told to press "Save and continue" to see both answers and choose. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-url]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-autosave-url");
  var status = document.getElementById("autosave-status");
  var changed = false;
  var saving = false;
  var leaving = false;

  function say(message) {
    if (status && status.textContent !== message) { status.textContent = message; }
  }

  function applyVersions(versions) {
    Object.keys(versions || {}).forEach(function (name) {
      var input = form.elements.namedItem(name);
      if (input) { input.value = versions[name]; }
    });
  }

  function save() {
    if (!changed || saving || leaving) { return; }
    saving = true;
    changed = false;
    fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (result) {
        applyVersions(result.body.versions);
        say(result.body.message || "");
      })
      .catch(function () {
        changed = true;
        say(form.getAttribute("data-offline-message"));
      })
      .then(function () { saving = false; });
  }

  form.addEventListener("input", function () { changed = true; });
  form.addEventListener("change", function () { changed = true; });
  form.addEventListener("submit", function () { leaving = true; });
  window.setInterval(save, 4000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && changed && !leaving && navigator.sendBeacon) {
      navigator.sendBeacon(url, new FormData(form));
      changed = false;
    }
  });
})();
