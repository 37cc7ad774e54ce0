/** Print views of assessment (and of other server-made tables). */
import { raw, qs } from "./api";

/**
 * Opens a server-made print view (HTML that needs the bearer token) in a new window. The window is
 * opened before the request, while the click still counts as the user's, so no popup blocker stops it.
 */
export async function openPrintView(path: string, query: Record<string, string | number | undefined>): Promise<void> {
  const w = window.open("", "_blank");
  if (w) w.document.write('<p style="font-family:sans-serif;padding:24px">正在生成打印视图…</p>');
  try {
    const html = await (await raw("GET", path + qs(query))).text();
    if (!w) throw new Error("浏览器阻止了新窗口，请允许本站弹出窗口");
    w.document.open();
    w.document.write(html);
    w.document.close();
  } catch (err) {
    w?.close();
    throw err;
  }
}
