import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiClient } from './api';
import { App } from './App';
import { SessionProvider } from './session/session';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('Plumbline: the #root element is missing from index.html');

// Same origin: the API serves the app in production, and Vite proxies /v1 in development.
const api = new ApiClient();

createRoot(container).render(
  <StrictMode>
    <SessionProvider api={api}>
      <App />
    </SessionProvider>
  </StrictMode>,
);
