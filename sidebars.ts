import type {SidebarsConfig} from '@docusaurus/plugin-content-docs';

// One sidebar. The phase guides are listed in the order a host goes through
// them; the two background pages follow.
const sidebars = {
  deployment: [
    {type: 'doc', id: 'index', label: 'Deployment overview'},
    {
      type: 'category',
      label: 'Deployment guides',
      collapsed: false,
      items: [
        'model-cluster-profile',
        'prepare-edge-hosts',
        'perform-site-install',
        'register-edge-host',
        'create-cluster-definition',
        'ha-cluster',
        'troubleshooting',
        'edge-lifecycle-and-roles',
        'how-the-lab-works',
      ],
    },
  ],
} satisfies SidebarsConfig;

export default sidebars;
