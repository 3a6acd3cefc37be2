"""What the three standalone pages share: the uploaded lists, refusals, tables with number formats.

The uploaded files are kept in ``st.session_state`` under the page's own key (``keys.files``): a
widget's value is dropped when its page is left, the kept bytes are not, so coming back to a page
shows the same list. Without an upload the built-in sample is used, as on the main page.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from screening.issues.record import ScreeningError
from screening.rules.loading import RuleSet

from .. import data
from ..data import Upload, sample
from ..text import plain
from . import keys

UPLOAD_TYPES = ["xlsx", "xlsm", "xls", "csv"]
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MISSING = "—"  # what an empty cell shows (never "None" or "nan")

WORDS = {
    "zh": {
        "upload": "上传企业名单（可多个文件：xlsx / xls / csv）",
        "upload_help": "最大 20 MB。不上传则使用内置示例数据（300 家拟搬迁企业）。",
        "using_sample": "当前数据：内置示例 demo_firms.xlsx",
        "using": "当前数据：{names}",
        "use_sample": "改用示例数据",
        "refused": "无法完成",
        "park": "园区规则",
        "applicants_only": "只甄别申请本园区的企业",
        "applicants_help": "名单有“拟入园区”一列时，只让申请本园区的企业参与排名、等级和用地指标。",
    },
    "en": {
        "upload": "Upload the firm list (several files allowed: xlsx / xls / csv)",
        "upload_help": "Up to 20 MB. Without an upload the built-in sample (300 relocating firms) is used.",
        "using_sample": "Data: built-in sample demo_firms.xlsx",
        "using": "Data: {names}",
        "use_sample": "Use the sample instead",
        "refused": "This could not be done",
        "park": "Park rules",
        "applicants_only": "Screen only the firms applying to this park",
        "applicants_help": "When the list says which park each firm applies to, only this park's applicants "
        "compete for ranks, classes and land.",
    },
}


def say(words: dict, lang: str, key: str, **values) -> str:
    """A page's word in ``lang`` (Chinese when the English one is missing), filled with ``values``."""
    text = words[lang].get(key) or words["zh"][key]
    return text.format(**values) if values else text


def page_head(words: dict, lang: str) -> dict[str, RuleSet]:
    """The page's title and subtitle; the park profiles (a broken rule file is said, not fatal)."""
    st.title(say(words, lang, "title"))
    st.caption(say(words, lang, "subtitle"))
    profiles, broken = data.profiles()
    for issue in broken:
        st.error(plain(issue.one_line(lang)))
    return profiles


def number(place, words: dict, lang: str, word: str, key: str, **kwargs):
    """A number input labelled with ``word``; its help and placeholder are ``word_help`` and
    ``word_placeholder`` when the page has them."""
    extra = {
        name: say(words, lang, f"{word}_{name}") for name in ("help", "placeholder") if f"{word}_{name}" in words[lang]
    }
    return place.number_input(say(words, lang, word), key=key, **extra, **kwargs)


def _keep_upload(prefix: str, widget: str) -> None:
    """Runs when the widget changes: keep what it now holds (nothing, when the user removed the files)."""
    chosen = st.session_state.get(widget) or []
    st.session_state[keys.files(prefix)] = tuple((f.name, f.getvalue()) for f in chosen)


def _forget_upload(prefix: str) -> None:
    """Back to the sample: the kept files are dropped and the widget is replaced by an empty one."""
    st.session_state[keys.files(prefix)] = ()
    generation = keys.upload_generation(prefix)
    st.session_state[generation] = st.session_state.get(generation, 0) + 1


def uploads(prefix: str, lang: str) -> tuple[Upload, ...]:
    """The page's firm lists: what was uploaded (kept across pages), or the built-in sample."""
    widget = keys.upload(prefix, st.session_state.get(keys.upload_generation(prefix), 0))
    st.file_uploader(
        say(WORDS, lang, "upload"),
        type=UPLOAD_TYPES,
        accept_multiple_files=True,
        key=widget,
        help=say(WORDS, lang, "upload_help"),
        on_change=_keep_upload,
        args=(prefix, widget),
    )
    kept = st.session_state.get(keys.files(prefix)) or ()
    if not kept:
        st.caption(say(WORDS, lang, "using_sample"))
        return (sample(),)
    st.caption(plain(say(WORDS, lang, "using", names="、".join(name for name, _ in kept))))
    st.button(say(WORDS, lang, "use_sample"), key=keys.use_sample(prefix), on_click=_forget_upload, args=(prefix,))
    return tuple(Upload.of(name, data) for name, data in kept)


def choose(place, kind: str, label: str, options: list, key: str, lang: str, format_func, default=None, **kwargs):
    """A selectbox, radio or multiselect (``kind``) whose shown words depend on the language, in ``place``
    (``st``, a column, the sidebar). Streamlit hands such a choice back as the words it showed, so after a
    language switch the same widget no longer finds it among the new words (it fell back to the first
    option, or to nothing). So the widget is keyed per language (``keys.shown``) and the choice itself —
    the ids — is kept under ``key``, from which the other language's widget starts."""
    kept = st.session_state.get(key, default)
    widget = getattr(place, kind)
    if kind == "multiselect":
        start = {"default": [o for o in (kept or []) if o in options]}
    else:
        start = {"index": options.index(kept) if kept in options else 0}
    value = widget(label, options, key=keys.shown(key, lang), format_func=format_func, **start, **kwargs)
    st.session_state[key] = value
    return value


def park_picker(prefix: str, parks: dict[str, RuleSet], lang: str, default: str = "smart-mfg-town") -> str:
    def name(pid: str) -> str:
        return parks[pid].model.park.name.get(lang)

    return choose(st, "selectbox", say(WORDS, lang, "park"), list(parks), keys.park(prefix), lang, name, default)


def view_picker(prefix: str, views: tuple[str, ...], words: dict, lang: str) -> str:
    """The row of views a page shows one at a time."""
    label = say(words, lang, "view")
    return choose(
        st,
        "radio",
        label,
        list(views),
        keys.view(prefix),
        lang,
        lambda v: say(words, lang, f"v_{v}"),
        horizontal=True,
        label_visibility="collapsed",
    )


def applicants_toggle(prefix: str, lang: str) -> bool:
    return st.toggle(
        say(WORDS, lang, "applicants_only"),
        value=True,
        key=keys.applicants_only(prefix),
        help=say(WORDS, lang, "applicants_help"),
    )


def refusal(error: ScreeningError, lang: str, title: str | None = None) -> None:
    """A refusal from the library: one line per issue, its message as plain text, its code to look up."""
    st.error(title or say(WORDS, lang, "refused"))
    for issue in error.issues:
        st.markdown(f"- {plain(issue.message(lang))} `{issue.code}`")


def number_formats(frame: pd.DataFrame) -> dict:
    """Column formats from a frame's ``attrs["digits"]`` (as the report's frames carry them): thousands
    separated, that many decimals."""
    digits = frame.attrs.get("digits", {})
    return {
        column: st.column_config.NumberColumn(format="%d" if _is_row(column) else f"%,.{d}f")
        for column, d in digits.items()
        if column in frame.columns and pd.api.types.is_numeric_dtype(frame[column])
    }


def _is_row(column: str) -> bool:
    """An Excel row number is shown as it is in Excel: 1234, not 1,234."""
    return "行号" in column or "row" in column.lower()


def table(
    frame: pd.DataFrame,
    key: str | None = None,
    height: int | str = "auto",
    config: dict | None = None,
    order: Sequence[str] | None = None,
    width: str = "stretch",
) -> None:
    """A read-only table: no index, full width (or as wide as its content), a dash for every empty
    cell, numbers formatted."""
    st.dataframe(
        frame,
        hide_index=True,
        width=width,
        height=height,
        key=key,
        placeholder=MISSING,
        column_config={**number_formats(frame), **(config or {})},
        column_order=order,
    )
