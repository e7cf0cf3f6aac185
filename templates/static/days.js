// Meeting days are picked one by one: this adds and removes day inputs.
// Without it the form shows one empty input more than there are days.
(function () {
  document.querySelectorAll('.day-picker').forEach(function (picker) {
    var list = picker.querySelector('.day-list');
    var add = picker.querySelector('.add-day');
    var max = parseInt(list.getAttribute('data-max'), 10) || 14;

    function items() { return Array.prototype.slice.call(list.children); }

    // Ids and labels follow the order: "f-days" first, as error links expect.
    function renumber() {
      var all = items();
      all.forEach(function (li, i) {
        var id = i === 0 ? 'f-days' : 'f-days-' + (i + 1);
        li.querySelector('label').setAttribute('for', id);
        li.querySelector('label').textContent = (i + 1) + '. Tag';
        li.querySelector('input').id = id;
        var remove = li.querySelector('.remove-day');
        remove.hidden = all.length === 1;
        remove.setAttribute('aria-label', (i + 1) + '. Tag entfernen');
      });
      add.hidden = all.length >= max;
    }

    // The spare empty input is for forms without script; drop it.
    var all = items();
    if (all.length > 1 && all[all.length - 1].querySelector('input').value === '') {
      list.removeChild(all[all.length - 1]);
    }

    list.addEventListener('click', function (e) {
      var button = e.target.closest('.remove-day');
      if (!button) { return; }
      var li = button.closest('li');
      var previous = li.previousElementSibling || li.nextElementSibling;
      list.removeChild(li);
      renumber();
      (previous ? previous.querySelector('input') : add).focus();
    });

    add.addEventListener('click', function () {
      var last = list.lastElementChild;
      var li = last.cloneNode(true);
      var input = li.querySelector('input');
      input.value = '';
      input.removeAttribute('aria-invalid');
      list.appendChild(li);
      renumber();
      input.focus();
    });

    renumber();
  });
})();
