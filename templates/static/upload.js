// Refuses a file over the limit before it is sent, so nobody waits for a
// long upload that the server would refuse anyway. The server checks too.
(function () {
  document.querySelectorAll('input[type=file][data-max-mb]').forEach(function (input) {
    var maxMB = parseInt(input.getAttribute('data-max-mb'), 10);
    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      if (file && file.size > maxMB * 1024 * 1024) {
        input.setCustomValidity('Die Datei ist zu groß: erlaubt sind höchstens ' + maxMB + ' MB.');
      } else {
        input.setCustomValidity('');
      }
      input.reportValidity();
    });
    input.form.addEventListener('submit', function (e) {
      if (!input.checkValidity()) {
        e.preventDefault();
        input.reportValidity();
      }
    });
  });
})();
