"""Telegram's wire format for Huiqi: HTML messages under the length limit, inline keyboards, callback data.

Everything here is pure (no network), so the handlers in ``telegram_channel`` stay thin and these
rules are unit-tested on their own.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Sequence
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageEntity
from telegram.constants import ChatType

from bot.types import Answer
from retrieval.types import Clause, PolicyInfo

MESSAGE_LIMIT = 4096  # per message (Bot API sendMessage), in UTF-16 code units
CALLBACK_LIMIT = 64  # bytes of callback_data per button
POLICIES_PER_PAGE = 8

EXAMPLES = (
    "招用应届高校毕业生的一次性扩岗补助每人多少？",
    "小微企业贷款有哪些支持政策？",
    "返乡创业示范项目一个能拿多少奖补？",
)

WELCOME = (
    "您好，我是<b>惠企</b>政策助手。\n"
    "请直接发送您想了解的企业政策问题，我会给出答案，并注明出自哪份文件的哪一条。\n\n"
    "可以先试试下面的问题："
)

HELP = (
    "<b>使用方法</b>\n"
    "直接发送问题即可，例如“小微企业贷款有哪些支持政策？”。可以接着追问，我会记住上文。\n"
    "在群聊中，请 @我 或回复我的消息来提问。\n\n"
    "/policies 查看收录的政策文件\n"
    "/new 开始新的对话（忘记上文）\n"
    "/help 显示本说明\n\n"
    "每条答案下方的“查看原文”可显示所引条款的全文；👍/👎 帮助我们改进答案。"
)

NEW_SESSION = "已开始新的对话，之前的上下文不再参考。请发送新的问题。"
CLAUSE_GONE = "该条款已不在知识库中（可能已更新），请重新提问。"
THANKS = "已记录您的评价，谢谢！"


def apology(request_id: str) -> str:
    """The one message a user sees when something breaks; the request id finds the log entry."""
    return f"抱歉，处理您的请求时出错了，请稍后再试。如需反馈，请提供请求编号 {request_id}。"


def addressed_question(message: Message, username: str, bot_id: int) -> str | None:
    """The question in ``message``, or None when a group message is not meant for the bot.

    In groups the bot answers only when it is mentioned (the @username is taken out of the question)
    or when the message replies to one of its own.
    """
    text = message.text or ""
    if message.chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP):
        return text
    mention = f"@{username}"
    mentioned = any(
        found.casefold() == mention.casefold()
        for found in message.parse_entities([MessageEntity.MENTION]).values()
    )
    reply = message.reply_to_message
    replied = reply is not None and reply.from_user is not None and reply.from_user.id == bot_id
    if not (mentioned or replied):
        return None
    return re.sub(re.escape(mention), " ", text, flags=re.IGNORECASE).strip()


# ---- messages -------------------------------------------------------------------------------


def answer_parts(answer: Answer, question: str | None = None) -> list[str]:
    """The answer, then its citations as a numbered list, as HTML messages under the limit."""
    lines: list[str] = []
    if question:
        lines += [f"❓ <b>{escape(question, quote=False)}</b>", ""]
    if answer.notice:
        lines += [f"<i>{escape(answer.notice, quote=False)}</i>", ""]
    lines.append(escape(answer.answer.strip(), quote=False))
    if answer.citations:
        lines += ["", "<b>引用条款</b>"]
        lines += [f"[{c.n}] {escape(c.reference(), quote=False)}" for c in answer.citations]
    return split_html("\n".join(lines))


def clause_parts(clause: Clause, n: int | None = None) -> list[str]:
    """A clause's heading and its whole verbatim text, as HTML messages under the limit."""
    doc = f"（{clause.doc_number}）" if clause.doc_number else ""
    label = clause.clause or clause.path_text
    marker = f"[{n}] " if n else ""
    heading = escape(f"{marker}《{clause.title}》{doc}{label}", quote=False)
    return split_html(f"<b>{heading}</b>\n\n{escape(clause.text.strip(), quote=False)}")


def policies_page(policies: Sequence[PolicyInfo], page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """One page of the catalogue and its ◀ ▶ buttons."""
    if not policies:
        return "知识库中还没有政策文件。", None
    pages = (len(policies) + POLICIES_PER_PAGE - 1) // POLICIES_PER_PAGE
    page = min(max(page, 0), pages - 1)
    first = page * POLICIES_PER_PAGE
    lines = [f"<b>政策目录</b>（共 {len(policies)} 份，第 {page + 1}/{pages} 页）", ""]
    for number, policy in enumerate(policies[first : first + POLICIES_PER_PAGE], start=first + 1):
        details = [policy.doc_number, policy.issuer, policy.date, f"{policy.clause_count} 条"]
        lines.append(f"{number}. 《{escape(policy.title, quote=False)}》")
        lines.append(f"    {escape(' · '.join(d for d in details if d), quote=False)}")
    buttons = []
    if page > 0:
        buttons.append(InlineKeyboardButton("◀ 上一页", callback_data=callback_data("p", str(page - 1))))
    if page < pages - 1:
        buttons.append(InlineKeyboardButton("下一页 ▶", callback_data=callback_data("p", str(page + 1))))
    return "\n".join(lines), InlineKeyboardMarkup([buttons]) if buttons else None


# ---- keyboards and callback data ------------------------------------------------------------


def callback_data(kind: str, *args: str) -> str:
    """``kind:arg:arg``, checked against Telegram's 64-byte limit."""
    data = ":".join((kind, *args))
    if len(data.encode("utf-8")) > CALLBACK_LIMIT:
        raise ValueError(f"callback data longer than {CALLBACK_LIMIT} bytes: {data!r}")
    return data


def parse_callback(data: str | None) -> list[str]:
    """The arguments after ``kind:`` (the handler's pattern has already matched the kind)."""
    return (data or "").split(":")[1:]


def examples_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(q, callback_data=callback_data("q", str(i)))] for i, q in enumerate(EXAMPLES)]
    )


def answer_keyboard(answer: Answer) -> InlineKeyboardMarkup:
    """查看原文 [n] for each cited clause, then 👍/👎 for the answer."""
    sources = [
        InlineKeyboardButton(f"查看原文 [{c.n}]", callback_data=callback_data("c", c.id, str(c.n)))
        for c in answer.citations
        if c.id
    ]
    rows = [sources[i : i + 3] for i in range(0, len(sources), 3)]
    if answer.answer_id:
        rows.append([
            InlineKeyboardButton("👍", callback_data=_rating_data("up", answer)),
            InlineKeyboardButton("👎", callback_data=_rating_data("down", answer)),
        ])
    return InlineKeyboardMarkup(rows)


def _rating_data(rating: str, answer: Answer) -> str:
    # The session rides along so a rating after /new still lands on the session that was answered;
    # an id too long for the button falls back to the chat's current session.
    try:
        return callback_data("r", rating, answer.answer_id, answer.session_id)
    except ValueError:
        return callback_data("r", rating, answer.answer_id)


# ---- splitting ------------------------------------------------------------------------------

_ATOM = re.compile(r"<[^>]*>|&#?\w+;|.", re.DOTALL)  # a tag, an entity, or one character
_TAG = re.compile(r"<[^>]*>")
_TAG_NAME = re.compile(r"</?\s*([\w-]+)")
_SOFT_BREAKS = frozenset("。；！？，、;!?,. ")


def split_html(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Cut Telegram HTML into messages of at most ``limit`` UTF-16 code units, each valid on its own.

    Cuts at the last line break that fits (so a citation line stays whole), else after punctuation
    or a space, else between characters; never inside a tag or an entity. Tags still open at a cut
    are closed before it and opened again at the start of the next part.

    >>> split_html("<b>" + "很长的一段。" * 2000 + "</b>")[0].endswith("。</b>")
    True
    """
    text = text.strip()
    if _units(text) <= limit:
        return [text] if text else []
    parts: list[str] = []
    pending = deque(_ATOM.findall(text))
    stack: list[tuple[str, str]] = []  # open tags: (name, the opening tag as written)
    part, size, start = _reopen(stack)
    line_cut: tuple[int, list[tuple[str, str]]] | None = None
    soft_cut: tuple[int, list[tuple[str, str]]] | None = None
    while pending:
        atom = pending.popleft()
        after = _apply(stack, atom)
        if size + _units(atom) + _closing_size(after) > limit and len(part) > start:
            cut, cut_stack = line_cut or soft_cut or (len(part), stack)
            parts.append("".join(part[:cut]).rstrip() + _close(cut_stack))
            pending.extendleft(reversed([*part[cut:], atom]))
            while pending and pending[0].isspace():
                pending.popleft()
            stack = cut_stack
            part, size, start = _reopen(stack)
            line_cut = soft_cut = None
            continue
        part.append(atom)
        size += _units(atom)
        stack = after
        if atom == "\n":
            line_cut = (len(part) - 1, list(stack))
        elif atom in _SOFT_BREAKS:
            soft_cut = (len(part), list(stack))
    if len(part) > start:
        parts.append("".join(part).strip() + _close(stack))
    return [p for p in parts if _TAG.sub("", p).strip()]


def _units(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def _apply(stack: list[tuple[str, str]], atom: str) -> list[tuple[str, str]]:
    """The open-tag stack after ``atom``."""
    if not atom.startswith("<") or len(atom) < 3:
        return stack
    match = _TAG_NAME.match(atom)
    if not match:
        return stack
    name = match.group(1).lower()
    if atom.startswith("</"):
        for i in range(len(stack) - 1, -1, -1):
            if stack[i][0] == name:
                return stack[:i]
        return stack
    return [*stack, (name, atom)]


def _close(stack: list[tuple[str, str]]) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(stack))


def _closing_size(stack: list[tuple[str, str]]) -> int:
    return sum(len(name) + 3 for name, _ in stack)


def _reopen(stack: list[tuple[str, str]]) -> tuple[list[str], int, int]:
    """A new part starting with the tags that were open at the cut: (atoms, size, atoms before content)."""
    opening = [tag for _, tag in stack]
    return opening, sum(map(_units, opening)), len(opening)
