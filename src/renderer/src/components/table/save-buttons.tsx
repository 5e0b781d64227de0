// "Save JSON" and "Save CSV" for what a view shows (a prune preview, the disk usage). The file is made
// in the page and handed to the browser as a download of a blob: URL, so it works the same in serve
// mode and in the desktop app (Chromium's own download handling asks where to save); nothing is written
// by the explorer itself and no path crosses to the main process.

export function saveText(fileName: string, mime: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
  // The download has started from the click; the URL is not needed after this turn.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}

export function SaveButtons({ name, json, csv }: { name: string; json: () => unknown; csv: () => string }) {
  return (
    <span className="save-buttons" role="group" aria-label={`Save ${name.replace(/-/g, ' ')}`}>
      <button
        type="button"
        className="button button-small"
        onClick={() => saveText(`${name}.json`, 'application/json', `${JSON.stringify(json(), null, 2)}\n`)}
      >
        Save JSON
      </button>
      <button type="button" className="button button-small" onClick={() => saveText(`${name}.csv`, 'text/csv', csv())}>
        Save CSV
      </button>
    </span>
  )
}
