// Door check-in: read a ticket's QR code with the phone's camera and submit it.
// Without JavaScript or a camera the typed (or USB-scanner) field does the same job.
(function () {
  "use strict";
  var box = document.querySelector(".checkin-camera");
  var form = document.getElementById("checkin-scan");
  var field = document.getElementById("id_code");
  if (!box || !form || !field || !window.jsQR || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;
  }
  var start = box.querySelector(".checkin-camera__start");
  var video = box.querySelector(".checkin-camera__video");
  var status = box.querySelector(".checkin-camera__status");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;
  box.hidden = false;

  function stop() {
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
    video.hidden = true;
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
      if (code && code.data) {
        field.value = code.data;
        status.textContent = start.dataset.found || "";
        stop();
        form.submit();
        return;
      }
    }
    window.requestAnimationFrame(look);
  }

  start.addEventListener("click", function () {
    if (stream) { stop(); return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        status.textContent = start.dataset.hint || "";
        return video.play();
      })
      .then(function () { window.requestAnimationFrame(look); })
      .catch(function () {
        stop();
        status.textContent = start.dataset.denied || "";
        field.focus();
      });
  });
})();
