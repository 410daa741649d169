// MudBlazor's script and then Blazor's (App.razor, in this order), once the first frame with content is on the screen:
// compiling and running them, and starting the circuit, no longer compete for the CPU with painting the prerendered
// rows (decision 0050). The browser tells it by a paint entry or the first largest-contentful-paint candidate (it does
// not always report both); a page that paints nothing soon (a tab opened in the background) starts after a moment anyway.
(() => {
  const scripts = (document.currentScript?.dataset.afterFirstPaint ?? "").split(" ").filter((src) => src.length > 0);
  const observers = [];
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    for (const observer of observers) observer.disconnect();
    for (const src of scripts) {
      const script = document.createElement("script");
      script.src = src;
      // Added scripts run as soon as each arrives unless told to keep their order.
      script.async = false;
      document.body.appendChild(script);
    }
  };
  for (const type of ["paint", "largest-contentful-paint"]) {
    if (!PerformanceObserver.supportedEntryTypes?.includes(type)) continue;
    const observer = new PerformanceObserver(start);
    observer.observe({ type, buffered: true });
    observers.push(observer);
  }
  setTimeout(start, observers.length > 0 ? 400 : 0);
})();

// Small browser helpers the console calls through JS interop.
window.workflowAdmin = {
  copyText: async (text) => { await navigator.clipboard.writeText(text); },
  downloadText: (fileName, text, mimeType) => {
    const url = URL.createObjectURL(new Blob([text], { type: mimeType || "application/json" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
    URL.revokeObjectURL(url);
  },
};

// The new page's heading takes the focus once it is shown (FocusHeadingOnNavigate): at once if it is there, else when it
// appears (a page shows a progress bar while it loads), within 10 s. Not if the person has meanwhile put the focus
// somewhere else on the page; a later navigation replaces an earlier wait. Like Blazor's own, the heading becomes
// focusable by script only (tabindex -1, no ring: app.css).
(() => {
  let waiting = null;
  window.workflowAdmin.focusWhenShown = (selector, onlyIfNothingFocused) => {
    waiting?.stop();
    // What had the focus when the page changed (the link followed, which may stay, as the menu's do) is not a choice
    // the person made on the new page; on the page the browser loaded it is.
    const before = onlyIfNothingFocused ? null : document.activeElement;
    const untouched = () => {
      const now = document.activeElement;
      return now === null || now === document.body || !now.isConnected || (before !== null && now === before);
    };
    const focus = () => {
      const element = document.querySelector(selector);
      if (element === null) return false;
      if (untouched()) {
        if (!element.hasAttribute("tabindex")) element.tabIndex = -1;
        element.focus({ preventScroll: true });
      }
      return true;
    };
    if (focus()) return;
    const observer = new MutationObserver(() => { if (focus()) waiting?.stop(); });
    const timer = setTimeout(() => waiting?.stop(), 10_000);
    waiting = { stop: () => { observer.disconnect(); clearTimeout(timer); waiting = null; } };
    observer.observe(document.body, { childList: true, subtree: true });
  };
})();

// Times render as "3 min ago" (Components/Shared/RelativeTime); their title, shown on hover, gives the absolute time
// to the second in the browser's own zone, which the server does not know. Blazor adds and re-renders them at any
// time, so every change to the page is looked at; writing a title that is already right changes nothing.
(() => {
  const format = new Intl.DateTimeFormat(undefined, {
    year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short",
  });
  const localise = () => {
    for (const time of document.querySelectorAll("time[data-local-time]")) {
      const text = format.format(new Date(time.dateTime));
      if (time.title !== text) time.title = text;
    }
  };
  new MutationObserver(localise).observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ["datetime", "title"] });
  localise();
})();

// The list's disclosures (the column picker, a filter of several values) close as a menu does: on a click elsewhere,
// or on Escape, which gives the focus back to their summary. Their open state is the browser's, not Blazor's.
(() => {
  const openOnes = () => document.querySelectorAll("details[data-closes-outside][open]");
  document.addEventListener("click", (event) => {
    for (const open of openOnes()) {
      // A link inside (a saved view) navigates within the page: the disclosure has done its job.
      if (!open.contains(event.target) || event.target.closest("a")) open.open = false;
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const open of openOnes()) {
      open.open = false;
      open.querySelector("summary")?.focus();
    }
  });
})();

// On a phone the open drawer lies over the page (MainLayout, app.css): choosing one of its links, or Escape, closes it
// through the menu button, as MudDrawer did. On a wide window the drawer stays where the user left it.
(() => {
  const narrow = window.matchMedia("(max-width: 959.98px)");
  const closeOnPhone = () => {
    if (narrow.matches && document.querySelector(".console-nav-toggled")) {
      document.querySelector("[data-testid=nav-toggle]")?.click();
    }
  };
  document.addEventListener("click", (event) => {
    if (event.target.closest(".console-drawer a")) closeOnPhone();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeOnPhone();
  });
})();
