// The pupil's photo control (tracker/ui/photo_input.py). The tablet's own chooser offers
// the camera and the photo library. Every chosen file goes to Python in the "photo"
// trigger (as base64, or only its name when it is too big to carry), and Python sends
// back what to show: the name, a small preview it made, a message. Texts come from Python.
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const root = parentElement.querySelector(".rp");
  const $ = (selector) => root.querySelector(selector);
  const input = $(".rp-input");
  const texts = data.texts;
  // What this browser did that Python has not answered yet (kept across re-renders).
  const local = root.__regiePhoto || (root.__regiePhoto = { pending: null });
  if (local.pending && data.serial >= local.pending.serial) local.pending = null;

  $(".rp-label").textContent = texts.label;
  $(".rp-choose").textContent = texts.choose;
  $(".rp-other").textContent = texts.other;
  $(".rp-remove").textContent = texts.remove;
  $(".rp-preview").alt = texts.alt;

  function render() {
    const view = local.pending ? local.pending.view : data.chosen;
    $(".rp-choose").hidden = !!view;
    $(".rp-chosen").hidden = !view;
    if (!view) return;
    const preview = $(".rp-preview");
    preview.hidden = !view.preview;
    if (view.preview) preview.src = "data:image/jpeg;base64," + view.preview;
    else preview.removeAttribute("src");
    $(".rp-name").textContent = view.name || "";
    const message = $(".rp-message");
    message.textContent = view.message || "";
    message.hidden = !view.message;
  }

  // Show `view` until Python has answered the event numbered `serial`.
  function pend(view) {
    const serial = Math.max(Date.now(), (data.serial || 0) + 1);
    local.pending = { serial, view };
    render();
    return serial;
  }

  function choose() {
    input.value = "";  // choosing the same file again still counts
    input.click();
  }

  input.onchange = () => {
    const file = input.files && input.files[0];
    if (!file) return;
    const about = { name: file.name, type: file.type, size: file.size };
    if (file.size > data.max_bytes) {  // too big to carry: only say that it was chosen
      const serial = pend({ name: file.name, message: texts.too_large });
      setTriggerValue("photo", { ...about, serial, refused: "too_large" });
      return;
    }
    const serial = pend({ name: file.name, message: texts.loading });
    const reader = new FileReader();
    reader.onload = () => {
      if (!local.pending || local.pending.serial !== serial) return;  // chosen again since
      const url = String(reader.result);
      setTriggerValue("photo", { ...about, serial, data: url.slice(url.indexOf(",") + 1) });
    };
    reader.onerror = () => {
      if (!local.pending || local.pending.serial !== serial) return;
      setTriggerValue("photo", { ...about, serial, refused: "not_an_image" });
    };
    reader.readAsDataURL(file);
  };
  $(".rp-choose").onclick = choose;
  $(".rp-other").onclick = choose;
  $(".rp-remove").onclick = () => {
    input.value = "";
    setTriggerValue("clear", { serial: pend(null) });
  };
  render();
}
