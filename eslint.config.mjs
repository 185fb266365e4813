import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

const config = [
  ...nextVitals,
  ...nextTypescript,
  {
    ignores: ['.next/**', '.next-*/**', '.bench-tmp/**', 'node_modules/**', 'data/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts', 'public/assets/**'],
  },
  {
    // CommonJS by necessity: the Action and Rule are pasted into Auth0 as they are; next.config.js is read by Next.
    files: ['integrations/auth0/*.js', 'next.config.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // A Rule is a bare function expression that Auth0 calls; nothing here references it.
    files: ['integrations/auth0/redirect-rule.js'],
    rules: { '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^detourRedirectRule$' }] },
  },
  {
    rules: {
      // Logos are small SVGs served as-is; next/image adds nothing for them.
      '@next/next/no-img-element': 'off',
    },
  },
];

export default config;
