/* Autosave per question (htmx): visible state, no lost input when the network drops.
   The form is never replaced while someone types; only its status line and version are. */
(function () {
  "use strict";
  var RETRY_MS = 5000;

  function formOf(element) {
    return element && element.closest ? element.closest("form[data-autosave]") : null;
  }

  function status(form, text, state) {
    var line = document.getElementById(form.dataset.status);
    if (line) {
      line.textContent = text;
      line.dataset.state = state;
    }
  }

  document.addEventListener("input", function (event) {
    var form = formOf(event.target);
    if (form) {
      form.dataset.pending = "1";
      status(form, form.dataset.textPending, "pending");
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = formOf(event.detail.elt);
    if (form) {
      form.dataset.pending = "1";
      status(form, form.dataset.textSaving, "saving");
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = formOf(event.detail.elt);
    var code = event.detail.xhr ? event.detail.xhr.status : 0;
    if (form && code > 0 && code < 500) {
      delete form.dataset.pending;
      var line = document.getElementById(form.dataset.status);
      if (line) {
        line.dataset.state = code < 400 ? "saved" : "error";
      }
      if (code >= 400) {
        form.dataset.pending = "1"; /* invalid or conflicting input is still unsaved */
      }
    }
  });

  /* Errors are linked to their fields: each error of the last save marks its field invalid
     and describes it; the fields of earlier errors are cleared. */
  function fieldName(key) {
    return key.indexOf("values.") === 0 ? "v-" + key.slice(7) : key;
  }

  function linkErrors(box) {
    var code = box.id.slice("errors-".length);
    var form = document.getElementById("form-" + code);
    if (!form) {
      return;
    }
    form.querySelectorAll("[aria-invalid]").forEach(function (field) {
      field.removeAttribute("aria-invalid");
      field.removeAttribute("aria-describedby");
    });
    box.querySelectorAll("li[data-field]").forEach(function (error) {
      form.querySelectorAll('[name="' + fieldName(error.dataset.field) + '"]').forEach(
        function (field) {
          field.setAttribute("aria-invalid", "true");
          field.setAttribute("aria-describedby", error.id);
        }
      );
    });
  }

  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var old = event.detail.target; /* replaced: the new box has its id */
    var box = old && old.id ? document.getElementById(old.id) : null;
    if (box && box.id.indexOf("errors-") === 0) {
      linkErrors(box);
    }
  });

  function retryLater(event) {
    var form = formOf(event.detail.elt);
    if (!form) {
      return;
    }
    form.dataset.pending = "1";
    status(form, form.dataset.textOffline, "offline");
    window.setTimeout(function () {
      window.htmx.trigger(form, "retry");
    }, RETRY_MS);
  }

  document.addEventListener("htmx:sendError", retryLater);
  document.addEventListener("htmx:responseError", retryLater);

  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector("form[data-autosave][data-pending]")) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();

// A "print" button (class print-page) prints the page; printable pages carry their own
// print styles ("stand van" line, no navigation).
document.addEventListener("click", function (event) {
  var target = event.target;
  if (target && target.closest && target.closest(".print-page")) {
    window.print();
  }
});
