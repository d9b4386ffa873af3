// The pupil's activity watcher (see tracker/ui/activity.py).
//
// Streamlit calls this module's default function again whenever the component's data
// changes, without cleaning up the earlier call; only when the component goes away is the
// cleanup of the last call run. So one controller lives on `window` and every call only
// hands it the newest data and trigger function.
//
// - Taps, keys, typing and scrolling anywhere on the page are activity. Activity is
//   reported to Python at most once every `report_every` seconds, never within a second of
//   a tap or Enter/Tab: Streamlit sends the widget updates of one moment as one batch, and
//   a batch holding both a button's click and this fragment's report reruns only the
//   fragment, so the click would be lost.
// - `warn_seconds` before the limit a full-screen "Ben je er nog?" with a countdown and one
//   big button covers the page. A tap on it, or any key, closes it and counts as activity.
// - When the countdown ends the focused box is blurred first (so what was typed reaches
//   Python), then Python hears "timeout" and signs the pupil out.

const GLOBAL = "__regieActivity";
const EVENTS = ["pointerdown", "pointerup", "keydown", "input", "touchstart", "scroll"];
const QUIET_MS = 1000; // no report this soon after a tap or Enter/Tab (see above)
const BUSY_KEYS = new Set(["Enter", "Tab", "Escape"]);
const COMMIT_WAIT_MS = 900; // time for a blurred text box to send its value
const RETRY_MS = 4000; // say "timeout" again if the page is still here

const STYLE = `
:host { all: initial; }
.backdrop {
  position: fixed; inset: 0; z-index: 2147483000;
  display: flex; align-items: center; justify-content: center;
  background: rgba(255, 248, 235, 0.97);
  font-family: var(--app-font, system-ui, sans-serif);
  color: #1f2937; padding: 24px; box-sizing: border-box;
}
.card {
  display: flex; flex-direction: column; align-items: center; gap: 24px;
  max-width: 560px; width: 100%; text-align: center;
}
.wave { font-size: 96px; line-height: 1; }
h2 { font-size: 48px; line-height: 1.15; margin: 0; font-weight: 700; }
.clock {
  width: 168px; height: 168px; border-radius: 50%;
  display: flex; align-items: center; justify-content: center;
  font-size: 80px; font-weight: 700; color: #b45309;
  background: conic-gradient(#f59e0b var(--left, 100%), #fde7c2 0);
  box-shadow: inset 0 0 0 18px rgba(255, 248, 235, 0.97);
}
p { font-size: 28px; line-height: 1.3; margin: 0; }
button {
  min-height: 96px; width: 100%; padding: 16px 28px; border: 0; border-radius: 24px;
  font: inherit; font-size: 36px; font-weight: 700; color: #fff; background: #15803d;
  cursor: pointer; box-shadow: 0 6px 0 #0f5f2e; touch-action: manipulation;
}
button:active { transform: translateY(4px); box-shadow: 0 2px 0 #0f5f2e; }
`;

function createController() {
  const ctl = {
    owner: null,
    data: { limit: 180, warn: 60, report_every: 30, idle: 0, texts: {} },
    send: null,
    lastActivity: Date.now(),
    lastReport: 0,
    lastTap: 0,
    pending: false,
    phase: "watch", // watch | warn | leaving
    host: null,
    timer: null,
    retry: null,
  };

  function report(now) {
    ctl.lastReport = now;
    ctl.pending = false;
    const idleMs = Math.max(0, now - ctl.lastActivity);
    if (ctl.send) ctl.send("active", { idle_ms: idleMs, at: now });
  }

  function onActivity(event) {
    if (ctl.phase === "leaving") return;
    if (ctl.phase === "warn") {
      // A tap on the cover closes it on its click (below), so the tap never lands on
      // a button underneath; a key closes it at once.
      if (event.type !== "keydown" && event.type !== "input") return;
      hideCover();
    }
    const now = Date.now();
    ctl.lastActivity = now;
    ctl.pending = true;
    if (event.type !== "keydown" && event.type !== "input" && event.type !== "scroll") {
      ctl.lastTap = now;
    } else if (event.type === "keydown" && BUSY_KEYS.has(event.key)) {
      ctl.lastTap = now;
    }
  }

  function showCover() {
    ctl.phase = "warn";
    const t = ctl.data.texts;
    const host = document.createElement("div");
    host.setAttribute("data-testid", "regieStillThere");
    const root = host.attachShadow({ mode: "open" });
    root.innerHTML = `<style>${STYLE}</style>
      <div class="backdrop" role="alertdialog" aria-modal="true" aria-labelledby="q">
        <div class="card">
          <div class="wave" aria-hidden="true">👋</div>
          <h2 id="q"></h2>
          <div class="clock" role="timer" aria-live="off"></div>
          <p class="hint"></p>
          <button type="button"></button>
        </div>
      </div>`;
    root.getElementById("q").textContent = t.title || "";
    root.querySelector(".hint").textContent = t.hint || "";
    root.querySelector("button").textContent = t.button || "";
    root.querySelector(".backdrop").addEventListener("click", (event) => {
      event.preventDefault();
      event.stopPropagation();
      if (ctl.phase !== "warn") return;
      hideCover();
      ctl.lastActivity = Date.now();
      ctl.pending = true;
    });
    // the app's own font (a shadow root starts from the browser's defaults)
    host.style.setProperty("--app-font", getComputedStyle(document.body).fontFamily);
    document.body.appendChild(host);
    ctl.host = host;
    updateCover(Date.now());
  }

  function updateCover(now) {
    if (!ctl.host) return;
    const left = Math.max(0, ctl.data.limit * 1000 - (now - ctl.lastActivity));
    const seconds = Math.ceil(left / 1000);
    const clock = ctl.host.shadowRoot.querySelector(".clock");
    if (clock.textContent !== String(seconds)) clock.textContent = String(seconds);
    const share = Math.min(100, (100 * left) / (ctl.data.warn * 1000));
    clock.style.setProperty("--left", `${share.toFixed(1)}%`);
  }

  function hideCover() {
    if (ctl.host) ctl.host.remove();
    ctl.host = null;
    if (ctl.phase === "warn") ctl.phase = "watch";
  }

  function sayTimeout() {
    if (ctl.send) ctl.send("timeout", { at: Date.now() });
    ctl.retry = window.setTimeout(sayTimeout, RETRY_MS);
  }

  function leave() {
    ctl.phase = "leaving";
    const focused = document.activeElement;
    if (focused && focused !== document.body && typeof focused.blur === "function") {
      focused.blur();
    }
    ctl.retry = window.setTimeout(sayTimeout, COMMIT_WAIT_MS);
  }

  function tick() {
    const now = Date.now();
    if (ctl.phase === "leaving") return;
    if (
      ctl.pending &&
      now - ctl.lastReport >= ctl.data.report_every * 1000 &&
      now - ctl.lastTap >= QUIET_MS
    ) {
      report(now);
    }
    const idle = now - ctl.lastActivity;
    if (idle >= ctl.data.limit * 1000) {
      updateCover(now);
      leave();
    } else if (ctl.phase === "watch" && idle >= (ctl.data.limit - ctl.data.warn) * 1000) {
      showCover();
    } else if (ctl.phase === "warn") {
      updateCover(now);
    }
  }

  ctl.update = (owner, data, send) => {
    ctl.owner = owner;
    ctl.send = send;
    ctl.data = { ...ctl.data, ...data };
    if (ctl.phase === "watch") {
      // The server may know of activity this page did not see (a new page, a sign-in).
      const serverLast = Date.now() - (ctl.data.idle || 0) * 1000;
      ctl.lastActivity = Math.max(ctl.lastActivity, serverLast);
    }
  };

  ctl.release = (owner) => {
    if (ctl.owner !== owner) return; // a newer mount has taken over
    EVENTS.forEach((type) => document.removeEventListener(type, onActivity, true));
    window.clearInterval(ctl.timer);
    window.clearTimeout(ctl.retry);
    hideCover();
    if (window[GLOBAL] === ctl) delete window[GLOBAL];
  };

  EVENTS.forEach((type) =>
    document.addEventListener(type, onActivity, { capture: true, passive: true }),
  );
  ctl.timer = window.setInterval(tick, 250);
  return ctl;
}

export default function (component) {
  const { data, key, setTriggerValue } = component;
  let ctl = window[GLOBAL];
  if (!ctl) {
    ctl = createController();
    ctl.lastActivity = Date.now() - ((data && data.idle) || 0) * 1000;
    window[GLOBAL] = ctl;
  }
  ctl.update(key, data || {}, setTriggerValue);
  return () => ctl.release(key);
}
