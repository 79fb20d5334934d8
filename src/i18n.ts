/**
 * Every string the UI shows, in one place. `LANGUAGE` in wrangler.toml picks the dictionary;
 * a site that wants another wording edits it here.
 */
export interface Strings {
  htmlLang: string
  by: string
  readers: (n: number) => string
  comments: (n: number) => string
  cite: string
  readMore: string
  recentComments: string
  noRecentComments: string
  popularPosts: string
  morePopular: string
  popularIntro: string
  trendTitle: (days: number) => string
  noPosts: string
  newer: string
  older: string
  pageOf: (n: number, total: number) => string
  updatedOn: string
  category: string
  tags: string
  contents: string
  citeTitle: string
  citedBy: string
  citeIntro: string
  citePlain: string
  citeBibtex: string
  blogPost: string
  retrievedFrom: string
  /** The copy buttons of the citation block (shown only with JavaScript). */
  copy: string
  copied: string
  /** When the clipboard is not available: the text is selected instead. */
  copyFailed: string
  copyPlainLabel: string
  copyBibtexLabel: string
  /** The download links of the citation block. */
  downloadBibtex: string
  downloadRis: string
  downloadCsl: string
  commentsTitle: (n: number) => string
  noComments: string
  reply: string
  replyTo: (name: string) => string
  cancelReply: string
  leaveComment: string
  fieldAuthor: string
  fieldEmail: string
  fieldEmailHint: string
  fieldUrl: string
  fieldBody: string
  fieldBodyHint: string
  submit: string
  inReplyTo: string
  notFoundTitle: string
  notFoundText: string
  goneTitle: string
  goneText: string
  errorTitle: string
  badRequestTitle: string
  backToPost: string
  unavailableTitle: string
  unavailableText: string
  anchorLabel: string
  poweredBy: string
}

const zh: Strings = {
  htmlLang: 'zh-CN',
  by: 'By',
  readers: (n) => `${n}位读者`,
  comments: (n) => `${n}条评论`,
  cite: '引用',
  readMore: '阅读全文',
  recentComments: '最近评论',
  noRecentComments: '还没有评论。',
  popularPosts: '热门文章',
  morePopular: '更多热门文章',
  popularIntro: '按读者数排列（约每分钟更新）。',
  trendTitle: (days) => `最近${days}天的读者`,
  noPosts: '还没有文章。',
  newer: '« 较新的文章',
  older: '较早的文章 »',
  pageOf: (n, total) => `第 ${n} / ${total} 页`,
  updatedOn: '更新于',
  category: '分类',
  tags: '标签',
  contents: '目录',
  citeTitle: '引用本文',
  citedBy: '被引用',
  citeIntro: '转载请注明出处。如果您需要引用本文，请参考：',
  citePlain: '文本格式',
  citeBibtex: 'BibTeX',
  blogPost: 'Blog post',
  retrievedFrom: 'Retrieved from',
  copy: '复制',
  copied: '已复制',
  copyFailed: '已选中，请按 Ctrl+C 复制',
  copyPlainLabel: '复制文本格式的引用',
  copyBibtexLabel: '复制 BibTeX',
  downloadBibtex: '下载 BibTeX',
  downloadRis: '下载 RIS',
  downloadCsl: '下载 CSL-JSON',
  commentsTitle: (n) => `${n}条评论`,
  noComments: '还没有评论，来说两句吧。',
  reply: '回复',
  replyTo: (name) => `回复 ${name}`,
  cancelReply: '取消回复',
  leaveComment: '发表评论',
  fieldAuthor: '昵称',
  fieldEmail: '邮箱',
  fieldEmailHint: '选填，不会公开',
  fieldUrl: '网址',
  fieldBody: '评论',
  fieldBodyHint: '支持 Markdown 与 LaTeX：行内公式 $…$，行间公式 $$…$$',
  submit: '提交评论',
  inReplyTo: '回复',
  notFoundTitle: '页面不存在',
  notFoundText: '你要找的页面不存在，可能已被移动或从未发表。',
  goneTitle: '文章已删除',
  goneText: '这篇文章已被作者删除。',
  errorTitle: '出错了',
  badRequestTitle: '无法提交',
  backToPost: '返回文章',
  unavailableTitle: '请稍后再试',
  unavailableText: '这篇文章刚刚发表，正在同步到你附近的节点，请几秒钟后刷新。',
  anchorLabel: '本节链接',
  poweredBy: '运行于 Cloudflare Workers',
}

const en: Strings = {
  htmlLang: 'en',
  by: 'By',
  readers: (n) => `${n} ${n === 1 ? 'reader' : 'readers'}`,
  comments: (n) => `${n} ${n === 1 ? 'comment' : 'comments'}`,
  cite: 'Cite',
  readMore: 'Read more',
  recentComments: 'Recent comments',
  noRecentComments: 'No comments yet.',
  popularPosts: 'Most read',
  morePopular: 'More',
  popularIntro: 'By number of readers (updated about every minute).',
  trendTitle: (days) => `Readers over the last ${days} days`,
  noPosts: 'No posts yet.',
  newer: '« Newer posts',
  older: 'Older posts »',
  pageOf: (n, total) => `Page ${n} of ${total}`,
  updatedOn: 'Updated on',
  category: 'Category',
  tags: 'Tags',
  contents: 'Contents',
  citeTitle: 'Cite this post',
  citedBy: 'Cited by',
  citeIntro: 'Please credit the source when you share this post. To cite it:',
  citePlain: 'Plain text',
  citeBibtex: 'BibTeX',
  blogPost: 'Blog post',
  retrievedFrom: 'Retrieved from',
  copy: 'Copy',
  copied: 'Copied',
  copyFailed: 'Selected: press Ctrl+C to copy',
  copyPlainLabel: 'Copy the plain-text citation',
  copyBibtexLabel: 'Copy the BibTeX entry',
  downloadBibtex: 'Download BibTeX',
  downloadRis: 'Download RIS',
  downloadCsl: 'Download CSL-JSON',
  commentsTitle: (n) => `${n} ${n === 1 ? 'comment' : 'comments'}`,
  noComments: 'No comments yet. Start the discussion.',
  reply: 'Reply',
  replyTo: (name) => `Reply to ${name}`,
  cancelReply: 'Cancel reply',
  leaveComment: 'Leave a comment',
  fieldAuthor: 'Name',
  fieldEmail: 'Email',
  fieldEmailHint: 'optional, never shown',
  fieldUrl: 'Website',
  fieldBody: 'Comment',
  fieldBodyHint: 'Markdown and LaTeX: inline $…$, display $$…$$',
  submit: 'Post comment',
  inReplyTo: 'In reply to',
  notFoundTitle: 'Not found',
  notFoundText: 'The page you are looking for does not exist.',
  goneTitle: 'Post deleted',
  goneText: 'The author has deleted this post.',
  errorTitle: 'Something went wrong',
  badRequestTitle: 'Could not submit',
  backToPost: 'Back to the post',
  unavailableTitle: 'Try again in a moment',
  unavailableText: 'This post was just published and is still reaching the server near you. Reload in a few seconds.',
  anchorLabel: 'Link to this section',
  poweredBy: 'Runs on Cloudflare Workers',
}

const dictionaries = { zh, en } as const

/** The dictionary for a site language. */
export function strings(language: 'zh' | 'en'): Strings {
  return dictionaries[language]
}
