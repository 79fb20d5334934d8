import type { FC } from 'hono/jsx'
import type { Strings } from '../../i18n'
import { formatDateTime, formatIsoLocal } from '../../lib/dates'
import type { ImageUse } from '../../services/images'
import { CsrfField } from './layout'

/** An uploaded image as GET /api/images lists it. */
export interface ImageRow {
  url: string
  key: string
  contentType: string
  size: number
  name: string
  uploadedAt: number | null
  /** The posts (drafts and scheduled ones too) whose markdown shows it. */
  usedBy: ImageUse[]
}

/** The types the upload takes (IMAGE_TYPES in services/images.ts), for the file picker. */
const ACCEPT = 'image/png,image/jpeg,image/gif,image/webp,image/avif'

/** 48 KB, 1.2 MB: a size as people read it. */
export function readableSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

/**
 * The markdown that shows an image, as the editor's upload inserts it: the file name without its
 * extension as the alternative text (brackets and backslashes left out), else the key.
 */
export function imageMarkdown(image: Pick<ImageRow, 'name' | 'key' | 'url'>): string {
  const alt = image.name.replace(/\.[A-Za-z0-9]+$/, '').replace(/[[\]\\\r\n]/g, '') || image.key
  return `![${alt}](${image.url})`
}

/**
 * 图片: the upload form (a plain multipart form, no script needed) and a page of the uploaded images,
 * newest first within the page, each with its thumbnail, name, size, time, the posts that show it,
 * the markdown to paste and a delete button (asking first, with JavaScript, naming how many posts
 * still show the image).
 */
export const ImageLibrary: FC<{
  t: Strings
  csrf: string
  images: ImageRow[]
  next: string | null
  first: boolean
  maxBytes: number
  timezone: string
}> = ({ t, csrf, images, next, first, maxBytes, timezone }) => {
  const a = t.admin
  return (
    <>
      <p>{a.imagesIntro}</p>
      <form method="post" action="/admin/images" enctype="multipart/form-data" class="admin-image-upload">
        <CsrfField token={csrf} />
        <label for="admin-image-file">{a.imageChoose}</label>{' '}
        <input id="admin-image-file" type="file" name="file" accept={ACCEPT} required />{' '}
        <button type="submit">{a.imageUploadButton}</button>
        <p class="admin-hint">{a.imageUploadHint((maxBytes / (1024 * 1024)).toFixed(maxBytes % (1024 * 1024) === 0 ? 0 : 1))}</p>
      </form>
      {images.length === 0 ? (
        <p>{a.imagesNone}</p>
      ) : (
        // (On a phone the table scrolls sideways in its box rather than crushing its columns.)
        <div class="admin-table-scroll">
          <table class="admin-table admin-images">
            <thead>
              <tr>
                <th scope="col">{a.colImage}</th>
                <th scope="col">{a.colImageName}</th>
                <th scope="col" class="admin-number">
                  {a.colImageSize}
                </th>
                <th scope="col">{a.colUploaded}</th>
                <th scope="col">{a.colImageUsedBy}</th>
                <th scope="col">{a.colMarkdown}</th>
                <th scope="col">{a.colActions}</th>
              </tr>
            </thead>
            <tbody>
              {images.map((image) => (
                <tr data-image={image.key}>
                  <td>
                    <a href={image.url}>
                      <img class="admin-thumb" src={image.url} alt={image.name || image.key} loading="lazy" />
                    </a>
                  </td>
                  <td class="admin-image-name">
                    {image.name || '—'}
                    <span class="admin-id"> ({image.key})</span>
                  </td>
                  <td class="admin-number">{readableSize(image.size)}</td>
                  <td class="admin-date">
                    {image.uploadedAt === null ? (
                      '—'
                    ) : (
                      <time datetime={formatIsoLocal(image.uploadedAt, timezone)}>{formatDateTime(image.uploadedAt, timezone)}</time>
                    )}
                  </td>
                  <td class="admin-image-uses">
                    {image.usedBy.length === 0 ? (
                      <span class="admin-hint">{a.imageUnused}</span>
                    ) : (
                      <ul>
                        {image.usedBy.map((post) => (
                          <li>
                            <a href={`/admin/edit/${post.id}`}>{post.title || post.id}</a>
                            {post.status === 'published' ? null : <span class="admin-hint"> ({a.statuses[post.status]})</span>}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>
                    <input
                      class="admin-markdown"
                      type="text"
                      readonly
                      value={imageMarkdown(image)}
                      aria-label={a.imageMarkdownLabel(image.key)}
                    />
                  </td>
                  <td>
                    <form
                      method="post"
                      action={`/admin/images/${image.key}/delete`}
                      data-confirm={image.usedBy.length ? a.confirmDeleteUsedImage(image.usedBy.length) : a.confirmDeleteImage}
                    >
                      <CsrfField token={csrf} />
                      <button type="submit">{a.deleteImage}</button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next !== null || !first ? (
        <nav class="admin-pager" aria-label={a.imagesTitle}>
          {!first ? <a href="/admin/images">{a.imagesFirst}</a> : null}{' '}
          {next !== null ? <a href={`/admin/images?cursor=${encodeURIComponent(next)}`}>{a.imagesMore}</a> : null}
        </nav>
      ) : null}
    </>
  )
}
