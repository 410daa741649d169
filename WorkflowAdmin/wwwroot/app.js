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
