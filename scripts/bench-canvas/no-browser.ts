// Stands in for wxt/browser in the canvas bench page, which has no extension API and sends nothing.
export const browser = {};
