// The editor's buttons on a contest page (docs/editors.md): each posts one act to the API
// with the signed-in editor's cookie, then reloads the page to show what is published now.
(function () {
  "use strict";
  function act(button) {
    var panel = document.getElementById("editor");
    var note = document.getElementById("editor-note");
    var body = { act: button.dataset.act, editor: panel.dataset.editor, note: note ? note.value : "" };
    if (button.dataset.event) body.event_id = Number(button.dataset.event);
    if (button.dataset.contest) body.contest_id = button.dataset.contest;
    if (body.act === "call") body.choices = [document.getElementById("editor-choice").value];
    var said = document.getElementById("editor-said");
    fetch(panel.dataset.api, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (doc) {
        if (!response.ok) {
          said.textContent = (doc.error && doc.error.problem) || "refused";
          return;
        }
        said.textContent = doc.stored ? body.act + " stored" : "already in force";
        window.location.reload();
      });
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.editor-act") : null;
    if (button) act(button);
  });
})();
