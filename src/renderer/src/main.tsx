// Renderer entry: mounts the app and starts the live refresh loop (the store owns all data access).
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app'
import { useApp } from './store/app-store'
import './styles.css'

// The first requests go out now, before React builds the page: the server answers while the frame renders.
void useApp.getState().loadFirst()

const root = document.getElementById('root')
if (!root) throw new Error('missing #root element')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>
)
