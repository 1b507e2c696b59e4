// The localStorage key that points a browser at another lab server. Kept apart from LabPart (which
// needs Docusaurus) so the browser tests and benchmarks in Node can set it too.

/** localStorage key that points this browser at another lab server (tests, a trainer's machine). */
export const LAB_SERVER_OVERRIDE_KEY = 'edge-lab:lab-server-url';
