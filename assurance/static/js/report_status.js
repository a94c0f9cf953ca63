/* While a report is being built, fetch its status page every few seconds and swap in the new
   status panel (progress, then the download link), without reloading the page. Without this
   script, the page offers a "Check again" link. */
(function () {
  "use strict";
  var panel = document.getElementById("report-status");
  if (!panel || !window.fetch || !window.DOMParser) { return; }
  var url = panel.getAttribute("data-poll");

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("report-status");
        if (!fresh) { return; }
        if (fresh.hasAttribute("data-poll")) {
          var bar = panel.querySelector("progress");
          var freshBar = fresh.querySelector("progress");
          if (bar && freshBar) { bar.value = freshBar.value; }
          var status = panel.querySelector("p");
          var freshStatus = fresh.querySelector("p");
          if (status && freshStatus && status.textContent !== freshStatus.textContent) {
            status.textContent = freshStatus.textContent;  // announced: the panel is a polite live region
          }
          window.setTimeout(poll, 2500);
        } else {
          panel.innerHTML = fresh.innerHTML;  // ready (or failed): the download link or "Build it again"
          panel.removeAttribute("data-poll");
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2500);
})();
