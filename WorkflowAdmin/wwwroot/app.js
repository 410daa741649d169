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
