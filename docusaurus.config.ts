import type {Config, LoadContext, Plugin} from '@docusaurus/types';
import type * as Preset from '@docusaurus/preset-classic';
import {themes as prismThemes} from 'prism-react-renderer';

// The site is built and served on the reader's own machine next to the lab.
// Nothing here may reach the network at build time or in the browser: no
// analytics, no hosted search, no remote fonts or scripts.

// package.json declares "type": "module" (the whole repo is ESM). Webpack then
// parses the route files Docusaurus generates in .docusaurus/ as strict ESM and
// leaves their `require.resolveWeak(...)` calls untouched, so the server render
// fails with "require.resolveWeak is not a function". Parsing just those
// generated files in webpack's mixed mode ('javascript/auto') fixes the build
// without touching package.json.
function parseGeneratedFilesAsAuto(context: LoadContext): Plugin {
  return {
    name: 'edge-lab-parse-generated-files-as-auto',
    configureWebpack() {
      return {
        module: {
          rules: [
            {
              test: /\.js$/,
              include: context.generatedFilesDir,
              type: 'javascript/auto',
            },
          ],
        },
      };
    },
  };
}

const config = {
  title: 'Edge Lab',
  tagline:
    'Palette Edge deployment guides you perform in the page, on real virtual edge hosts',
  favicon: 'img/logo.svg',

  url: 'http://127.0.0.1',
  baseUrl: '/',

  // Broken links are build errors, never warnings.
  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  onDuplicateRoutes: 'throw',
  markdown: {
    hooks: {
      onBrokenMarkdownLinks: 'throw',
      onBrokenMarkdownImages: 'throw',
    },
  },

  // Stay on the stable build pipeline; the opt-in toolchains are not installed.
  future: {
    v4: false,
    faster: false,
  },

  i18n: {
    defaultLocale: 'en',
    locales: ['en'],
  },

  plugins: [parseGeneratedFilesAsAuto],

  // Search runs in the browser over an index built with the site: no hosted search service.
  themes: [
    [
      '@easyops-cn/docusaurus-search-local',
      {
        hashed: true,
        indexBlog: false,
        docsRouteBasePath: '/',
        highlightSearchTermsOnTargetPage: true,
      },
    ],
  ],

  // Where the pages find the lab server (`npm start` runs it here); EDGE_LAB_SIM_URL overrides it.
  customFields: {
    labServerUrl: process.env.EDGE_LAB_SIM_URL ?? 'http://127.0.0.1:4100',
  },

  presets: [
    [
      'classic',
      {
        docs: {
          // The guides are the whole site, so they live at the root.
          routeBasePath: '/',
          sidebarPath: './sidebars.ts',
        },
        blog: false,
        theme: {
          customCss: './src/css/custom.css',
        },
      } satisfies Preset.Options,
    ],
  ],

  themeConfig: {
    colorMode: {
      defaultMode: 'light',
      respectPrefersColorScheme: true,
    },
    docs: {
      sidebar: {
        hideable: true,
      },
    },
    navbar: {
      title: 'Edge Lab',
      logo: {
        alt: 'Edge Lab',
        src: 'img/logo.svg',
      },
      items: [
        {
          type: 'docSidebar',
          sidebarId: 'deployment',
          position: 'left',
          label: 'Guides',
        },
        {
          type: 'doc',
          docId: 'how-the-lab-works',
          position: 'left',
          label: 'How the lab works',
        },
        {to: '/class', position: 'right', label: 'Class dashboard'},
      ],
    },
    footer: {
      style: 'dark',
      links: [
        {
          title: 'Guides',
          items: [
            {label: 'Deployment overview', to: '/'},
            {label: 'Edge lifecycle and roles', to: '/edge-lifecycle-and-roles'},
          ],
        },
        {
          title: 'The lab',
          items: [
            {label: 'How the lab works', to: '/how-the-lab-works'},
            {label: 'Class dashboard', to: '/class'},
          ],
        },
      ],
      copyright:
        'Edge Lab runs on your machine. Its Palette control plane is simulated; nothing here contacts Spectro Cloud.',
    },
    prism: {
      theme: prismThemes.github,
      darkTheme: prismThemes.dracula,
      additionalLanguages: ['bash'],
    },
  } satisfies Preset.ThemeConfig,
} satisfies Config;

export default config;
