/**
 * Vite plugin: delivers the Content Security Policies of src/pwa/csp.ts.
 *
 * - build: writes the page's policy into the built index.html as a <meta> tag, so the page is
 *   protected even on a static host that sends no CSP header;
 * - preview: sends the page's policy as a header on HTML responses and the worker policy on every
 *   other response (a CSP header only binds documents and workers, so in practice the worker
 *   scripts). A <meta> tag cannot reach workers; the header is what protects the inference worker.
 *
 * Nothing in dev (`vite`): hot reload injects inline scripts and opens a WebSocket, which these
 * policies forbid.
 */
import type { Plugin } from 'vite';
import { DOCUMENT_CSP_HEADER, DOCUMENT_CSP_META, WORKER_CSP_HEADER } from '../csp.ts';

const CHARSET = /<meta charset="[^"]*"\s*\/?>/i;

/**
 * Whether a request path gets the page's policy: HTML files and extension-less paths (the preview
 * server answers those with index.html). By path, not by Sec-Fetch-Dest, because the service
 * worker re-serves cached responses with the headers they were fetched with.
 */
export function isDocumentPath(pathname: string): boolean {
  const last = pathname.split('/').pop() ?? '';
  return last === '' || last.endsWith('.html') || !last.includes('.');
}

export function cspPlugin(): Plugin {
  return {
    name: 'facecheck:csp',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        if (context.server !== undefined) return html; // dev server: no policy (see above)
        // Right after the charset (which must come first): a policy only governs what the parser
        // meets after it, so it has to precede every script and stylesheet.
        const match = CHARSET.exec(html);
        if (match === null) throw new Error('index.html needs <meta charset="…"> for the CSP to follow');
        const tag = `<meta http-equiv="Content-Security-Policy" content="${DOCUMENT_CSP_META}" />`;
        const end = match.index + match[0].length;
        return `${html.slice(0, end)}\n    ${tag}${html.slice(end)}`;
      },
    },
    configurePreviewServer(server) {
      server.middlewares.use((request, response, next) => {
        const pathname = new URL(request.url ?? '/', 'http://preview').pathname;
        response.setHeader(
          'Content-Security-Policy',
          isDocumentPath(pathname) ? DOCUMENT_CSP_HEADER : WORKER_CSP_HEADER,
        );
        next();
      });
    },
  };
}
