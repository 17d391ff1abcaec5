// Door check-in: read a ticket's QR code with the phone's camera and submit it.
// Without JavaScript or a camera the typed (or USB-scanner) field does the same job.
// Once started, the camera comes back on after each check-in, so a queue can be scanned
// one ticket after another; the ticket just checked in is not sent twice while still in view.
(function () {
  "use strict";
  var box = document.querySelector(".checkin-camera");
  var form = document.getElementById("checkin-scan");
  var field = document.getElementById("id_code");
  if (!box || !form || !field || !window.jsQR || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;
  }
  var KEY = "checkin-camera";
  var SAME_TICKET_PAUSE_MS = 10000;
  var button = box.querySelector(".checkin-camera__start");
  var video = box.querySelector(".checkin-camera__video");
  var status = box.querySelector(".checkin-camera__status");
  var startLabel = button.textContent;
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;
  box.hidden = false;

  function remembered() {
    try { return JSON.parse(window.sessionStorage.getItem(KEY)) || null; } catch (error) { return null; }
  }

  function remember(state) {
    try {
      if (state) { window.sessionStorage.setItem(KEY, JSON.stringify(state)); } else { window.sessionStorage.removeItem(KEY); }
    } catch (error) { /* private mode: the camera simply has to be started again */ }
  }

  function stop() {
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
    video.hidden = true;
    button.textContent = startLabel;
  }

  function justSent(code) {
    var last = remembered();
    return last && last.code === code && Date.now() - last.at < SAME_TICKET_PAUSE_MS;
  }

  function look() {
    if (!stream) { return; }
    if (video.readyState >= video.HAVE_ENOUGH_DATA && video.videoWidth) {
      // 640 pixels across is plenty for a ticket held up to the phone, and keeps each frame fast.
      var scale = Math.min(1, 640 / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var picture = context.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR(picture.data, picture.width, picture.height, { inversionAttempts: "dontInvert" });
      if (code && code.data && !justSent(code.data)) {
        field.value = code.data;
        status.textContent = button.dataset.found || "";
        remember({ code: code.data, at: Date.now() });
        stop();
        form.submit();
        return;
      }
    }
    window.requestAnimationFrame(look);
  }

  function start() {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        button.textContent = button.dataset.stop || startLabel;
        status.textContent = button.dataset.hint || "";
        if (!remembered()) { remember({ code: "", at: 0 }); }
        return video.play();
      })
      .then(function () { window.requestAnimationFrame(look); })
      .catch(function () {
        stop();
        remember(null);
        status.textContent = button.dataset.denied || "";
        field.focus();
      });
  }

  button.addEventListener("click", function () {
    if (stream) { stop(); remember(null); status.textContent = ""; field.focus(); } else { start(); }
  });

  if (remembered()) { start(); }
})();
