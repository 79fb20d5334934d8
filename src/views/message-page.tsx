import type { FC, PropsWithChildren } from 'hono/jsx'

/** The body of an error or notice page. */
export const Message: FC<PropsWithChildren<{ title: string; text: string }>> = ({ title, text, children }) => (
  <section class="message">
    <h1>{title}</h1>
    <p>{text}</p>
    {children}
  </section>
)
