(function () {
  // Kiosk idle reset: a warning after a while without a touch, then back to the start page.
  var meta = document.querySelector('meta[name="mbc-kiosk-idle"]');
  if (!meta) return;
  var parts = meta.getAttribute("content").split(" ");
  var idle = parseInt(parts[0], 10) * 1000, warn = parseInt(parts[1], 10) * 1000, url = parts[2];
  var box = document.getElementById("kiosk-warning");
  var warnTimer, resetTimer;
  function arm() {
    clearTimeout(warnTimer);
    clearTimeout(resetTimer);
    if (box) box.hidden = true;
    warnTimer = setTimeout(function () { if (box) box.hidden = false; }, warn);
    resetTimer = setTimeout(function () { window.location.replace(url); }, idle);
  }
  ["pointerdown", "keydown", "input", "touchstart"].forEach(function (name) {
    document.addEventListener(name, arm, { passive: true });
  });
  window.addEventListener("pageshow", arm);
  arm();
})();
