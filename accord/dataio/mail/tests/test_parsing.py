"""Reading mail into plain data: ids, subjects, dates, bodies, attachments, bad input, containers."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from accord.dataio.mail import parsing
from accord.dataio.mail.parsing import MessageError, parse_message
from accord.interactions.html import email_frame_document, html_to_text, sanitize_email_html

from .mails import BASE, mail, maildir_zip, mbox


def test_message_id_normalised():
    assert parsing.normalize_message_id(" <AbC.1@Example.COM> ") == "AbC.1@example.com"
    assert parsing.normalize_message_id("<a\r\n b@x.de>") == "ab@x.de"
    assert parsing.normalize_message_id("no-brackets@Host.DE") == "no-brackets@host.de"
    assert parsing.normalize_message_id("") == ""
    assert parsing.message_ids("<a@x> <b@Y>\r\n <c@z>") == ["a@x", "b@y", "c@z"]


@pytest.mark.parametrize(
    "subject",
    [
        "Re: Angebot",
        "AW: Angebot",
        "Fwd: Angebot",
        "WG: AW: RE: angebot",
        "Re[2]: Angebot",
        "Angebot",
    ],
)
def test_subject_normalised(subject):
    assert parsing.normalize_subject(subject) == "angebot"


def test_parse_plain_mail():
    message = parse_message(
        mail(cc="Ben <BEN@example.test>", references="<r1@x.de> <r2@x.de>", in_reply_to="<r2@x.de>")
    )
    assert message.message_id == "m1@kunde.example"
    assert message.subject == "Angebot Rahmenvertrag"
    assert message.date == BASE
    assert [(a.role, a.address, a.name) for a in message.addresses] == [
        ("from", "joerg@kunde.example", "Jörg Müller"),
        ("to", "anna@example.test", "Anna Vertrieb"),
        ("cc", "ben@example.test", "Ben"),
    ]
    assert message.references == ["r1@x.de", "r2@x.de"]
    assert "bitte senden Sie uns das Angebot" in message.body
    assert not message.synthetic_id


def test_encoded_headers_and_8bit_headers_decoded():
    raw = (
        b"From: =?utf-8?q?J=C3=B6rg_M=C3=BCller?= <joerg@kunde.example>\n"
        b"To: anna@example.test\n"
        b"Subject: Gr\xc3\xbc\xc3\x9fe aus K\xc3\xb6ln\n"
        b"Date: Mon, 3 Mar 2025 10:00:00 +0100\n"
        b"Message-ID: <x@y>\n\nHallo\n"
    )
    message = parse_message(raw)
    assert message.subject == "Grüße aus Köln"
    assert message.sender.name == "Jörg Müller"
    assert message.date == dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


def test_html_only_mail_gets_text_for_search_and_sanitised_html():
    message = parse_message(
        mail(
            text="",
            html='<p onclick="x()">Hallo <b>Anna</b></p><script>alert(1)</script>'
            '<img src="https://tracker.example/p.gif" onerror="alert(2)">',
        )
    )
    assert "<script" not in message.body_html
    assert "onerror" not in message.body_html and "onclick" not in message.body_html
    assert "tracker.example" not in message.body_html
    assert "<b>Anna</b>" in message.body_html


def test_sanitiser_removes_everything_that_runs_or_loads():
    dirty = (
        "<html><head><title>T</title><style>body{background:url(http://e/a.png)}</style>"
        '<link rel="prefetch" href="http://e/x"><link rel="stylesheet" href="http://e/s.css">'
        '<meta http-equiv="refresh" content="0;url=http://e"></head>'
        '<body onload="alert(1)"><script>alert(1)</script>'
        '<p style="color:red;background:url(http://e/b.png)">a</p>'
        '<p style="color:green;font-weight:bold">b</p>'
        '<div style="background-image: u\\72l(http://e/c.png)">c</div>'
        '<img src=x onerror=alert(1)><img src="http://e/pixel.gif"><img src="//e/p.png">'
        '<img srcset="http://e/1.png 1x"><img src="cid:logo@firma">'
        '<table background="http://e/bg.png"><tr><td background="http://e">t</td></tr></table>'
        '<a href="javascript:alert(1)">j</a><a href="https://example.com">ok</a>'
        '<form action="http://e"><input name="a"></form><iframe src="http://e"></iframe>'
        '<svg><image href="http://e/x.png"/></svg><video poster="http://e/p.png"></video>'
        '<object data="http://e/o"></object><embed src="http://e/e">'
        "</body></html>"
    )
    clean = sanitize_email_html(dirty)
    for bad in (
        "script",
        "onload",
        "onerror",
        "url(",
        "http://e",
        "//e/",
        "srcset",
        "javascript:",
        "<form",
        "<iframe",
        "<link",
        "<meta",
        "<style",
        "background=",
        "<svg",
        "<video",
        "<object",
        "<embed",
    ):
        assert bad not in clean, bad
    assert 'style="color:green;font-weight:bold"' in clean
    assert 'src="cid:logo@firma"' in clean
    assert 'href="https://example.com"' in clean and 'rel="noopener noreferrer nofollow"' in clean


def test_frame_document_has_its_own_policy_and_inlines_cid_images():
    document = email_frame_document(
        '<p>Hi</p><img src="cid:logo@Firma.DE"><img src="cid:missing@x">',
        {"logo@firma.de": "data:image/png;base64,AAAA"},
    )
    assert "default-src 'none'" in document
    assert 'src="data:image/png;base64,AAAA"' in document
    assert "cid:missing" not in document


def test_html_to_text():
    assert html_to_text("<p>Erste&nbsp;Zeile</p><p>Zweite<br>Dritte</p><style>x{}</style>") == (
        "Erste Zeile\nZweite\nDritte"
    )


def test_attachments_kept_with_name_type_and_content():
    pdf = b"%PDF-1.4 fake"
    message = parse_message(
        mail(
            attachments=[
                ("Angebot Nr. 7.pdf", "application/pdf", pdf),
                ("a.txt", "text/plain", b"x"),
            ]
        )
    )
    assert [(a.filename, a.content_type, a.data) for a in message.attachments] == [
        ("Angebot Nr. 7.pdf", "application/pdf", pdf),
        ("a.txt", "text/plain", b"x"),
    ]


def test_attachment_over_the_limit_dropped_with_a_warning(settings):
    settings.ACCORD_MAIL_MAX_ATTACHMENT_BYTES = 1000
    message = parse_message(
        mail(
            attachments=[
                ("big.bin", "application/octet-stream", b"x" * 2000),
                ("small.txt", "text/plain", b"ok"),
            ]
        )
    )
    assert [a.filename for a in message.attachments] == ["small.txt"]
    assert "big.bin" in message.warnings[0] and "limit" in message.warnings[0]


def test_message_over_the_limit_refused(settings):
    settings.ACCORD_MAIL_MAX_MESSAGE_BYTES = 500
    with pytest.raises(MessageError, match="larger than"):
        parse_message(mail(text="x" * 1000))


def test_missing_message_id_gets_stable_synthetic_id():
    raw = mail(msgid=None)
    first, again = parse_message(raw), parse_message(raw.replace(b"\n", b"\r\n"))
    assert first.synthetic_id and first.message_id.endswith("@synthetic.accord")
    assert first.message_id == again.message_id
    assert parse_message(mail(msgid=None, text="other")).message_id != first.message_id


@pytest.mark.parametrize(
    "raw",
    [
        b"From: a@b.de\nSubject: x\nMessage-ID: <a@b>\nDate: Mon, 3 Mar 2025 10:00:00 +0100\n"
        b'Content-Type: multipart/mixed; boundary="XYZ"\n\nno parts here at all\n',
        b"From: a@b.de\nSubject: x\nMessage-ID: <a@b>\nDate: Mon, 3 Mar 2025 10:00:00 +0100\n"
        b'Content-Type: multipart/mixed; boundary="XYZ"\n\n--XYZ\nContent-Type: text/plain\n\n'
        b"cut off here",
        b"From: a@b.de\nSubject: x\nMessage-ID: <a@b>\nDate: Mon, 3 Mar 2025 10:00:00 +0100\n"
        b"Content-Type: multipart/mixed\n\n--\nbody\n",
    ],
    ids=["boundary never occurs", "truncated", "no boundary"],
)
def test_malformed_mime_refused_with_reason(raw):
    with pytest.raises(MessageError, match="Malformed MIME"):
        parse_message(raw)


def test_not_a_mail_refused():
    with pytest.raises(MessageError, match="not a mail"):
        parse_message(b"\x00\x01\x02 binary junk \xff\xfe")
    with pytest.raises(MessageError, match="empty"):
        parse_message(b"  \n")


def test_invalid_date_falls_back_to_received_with_a_warning():
    raw = mail(
        date="32 Foo 20x5 99:99",
        headers={"Received": "from mx by mx.example; Tue, 4 Mar 2025 11:00:00 +0000"},
    )
    message = parse_message(raw)
    assert message.date == dt.datetime(2025, 3, 4, 11, 0, tzinfo=dt.UTC)
    assert "not valid" in message.warnings[0]


def test_invalid_date_without_alternative_refused():
    with pytest.raises(MessageError, match="not valid"):
        parse_message(mail(date="not a date"))
    with pytest.raises(MessageError, match="not valid"):
        parse_message(mail(date=dt.datetime(2099, 1, 1, tzinfo=dt.UTC)))


def test_invalid_date_uses_the_containers_time():
    fallback = dt.datetime(2025, 1, 2, tzinfo=dt.UTC)
    message = parse_message(mail(date=None), fallback_date=fallback)
    assert message.date == fallback


def test_unknown_charset_read_anyway():
    raw = (
        b"From: a@b.de\nTo: c@d.de\nSubject: x\nMessage-ID: <cs@b>\n"
        b"Date: Mon, 3 Mar 2025 10:00:00 +0100\n"
        b"Content-Type: text/plain; charset=x-unknown-charset\n\nGr\xc3\xbc\xc3\x9fe\n"
    )
    assert parse_message(raw).body == "Grüße"


# --- containers ------------------------------------------------------------------------------
def test_mbox_split_streamed_with_from_lines_unescaped():
    first = mail(msgid="<a@x>", text="From here on, a line starting with From.\n>From quoted\n")
    second = mail(msgid="<b@x>")
    data = mbox(first, second)
    found = list(parsing.iter_mbox(io.BytesIO(data)))
    assert [m.index for m in found] == [1, 2]
    assert (
        parse_message(found[0].raw).body.splitlines()[0]
        == "From here on, a line starting with From."
    )
    assert ">From quoted" in parse_message(found[0].raw).body
    assert parse_message(found[1].raw).message_id == "b@x"
    # resuming at the offset after the first message gives the second
    resumed = list(parsing.iter_mbox(io.BytesIO(data), offset=found[0].resume, index=1))
    assert [(m.index, m.raw) for m in resumed] == [(2, found[1].raw)]


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 13, 64])
@pytest.mark.parametrize("crlf", [False, True])
def test_mbox_split_the_same_whatever_the_read_size(monkeypatch, chunk, crlf):
    messages = [
        mail(msgid="<a@x>", text="From the start.\n\nFrom me\nbye\n"),
        mail(msgid="<b@x>", text="x" * 300),
        mail(msgid="<c@x>", text=""),
    ]
    data = mbox(*messages)
    if crlf:
        data = data.replace(b"\n", b"\r\n")
    expected = [(m.index, m.raw, m.resume) for m in parsing.iter_mbox(io.BytesIO(data))]
    monkeypatch.setattr(parsing, "READ_CHUNK", chunk)
    found = [(m.index, m.raw, m.resume) for m in parsing.iter_mbox(io.BytesIO(data))]
    assert found == expected
    assert [parse_message(raw).message_id for _i, raw, _r in found] == ["a@x", "b@x", "c@x"]
    assert "From me" in parse_message(found[0][1]).body
    assert parsing.count_mbox(io.BytesIO(data)) == 3


def test_mbox_from_line_time_is_the_fallback_date():
    data = mbox(mail(msgid="<a@x>", date="kaputt"))
    (found,) = parsing.iter_mbox(io.BytesIO(data))
    assert found.fallback_date == dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
    message = parse_message(found.raw, fallback_date=found.fallback_date)
    assert message.date == found.fallback_date and "not valid" in message.warnings[0]


def test_mbox_with_crlf_lines():
    data = mbox(mail(msgid="<a@x>"), mail(msgid="<b@x>")).replace(b"\n", b"\r\n")
    ids = [parse_message(m.raw).message_id for m in parsing.iter_mbox(io.BytesIO(data))]
    assert ids == ["a@x", "b@x"]


@pytest.mark.parametrize("chunk", [97, 1024 * 1024])
def test_mbox_message_over_the_limit_reported_and_skipped(settings, monkeypatch, chunk):
    settings.ACCORD_MAIL_MAX_MESSAGE_BYTES = 2000
    monkeypatch.setattr(parsing, "READ_CHUNK", chunk)
    data = mbox(mail(msgid="<a@x>", text="y\n" * 5000), mail(msgid="<b@x>"), mail(msgid="<c@x>"))
    found = list(parsing.iter_mbox(io.BytesIO(data)))
    assert [m.index for m in found] == [1, 2, 3]
    assert found[0].error and not found[0].raw
    assert [parse_message(m.raw).message_id for m in found[1:]] == ["b@x", "c@x"]
    resumed = list(parsing.iter_mbox(io.BytesIO(data), offset=found[0].resume, index=1))
    assert [m.raw for m in resumed] == [m.raw for m in found[1:]]


def test_not_an_mbox_refused():
    with pytest.raises(MessageError, match="not an mbox"):
        list(parsing.iter_mbox(io.BytesIO(b"hello\nworld\n")))


def test_sniff_kind():
    assert parsing.sniff_kind(b"PK\x03\x04") == "zip"
    assert parsing.sniff_kind(b"From x") == "mbox"
    assert parsing.sniff_kind(b"Return-P") == "eml"


def test_maildir_zip_reads_cur_and_new_not_tmp():
    data = maildir_zip(mail(msgid="<a@x>"), mail(msgid="<b@x>"), mail(msgid="<c@x>"))
    found = list(parsing.iter_zip(io.BytesIO(data)))
    assert sorted(parse_message(m.raw).message_id for m in found) == ["a@x", "b@x", "c@x"]
    assert all("/tmp/" not in m.where for m in found)
    assert found[0].fallback_date is not None  # the delivery time in the file name


def test_zip_of_eml_files_and_resume_by_index():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("export/1.eml", mail(msgid="<a@x>"))
        archive.writestr("export/2.eml", mail(msgid="<b@x>"))
        archive.writestr("export/readme.txt", b"not mail")
    found = list(parsing.iter_zip(io.BytesIO(out.getvalue()), index=1))
    assert [parse_message(m.raw).message_id for m in found] == ["b@x"]


def test_zip_bomb_entry_stops_at_the_limit(settings):
    settings.ACCORD_MAIL_MAX_MESSAGE_BYTES = 10_000
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Mail/new/1.x", b"A" * 5_000_000)  # compresses to a few KB
    (found,) = list(parsing.iter_zip(io.BytesIO(out.getvalue())))
    assert found.error and "larger than" in found.error


def test_zip_without_mail_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", b"x")
    with pytest.raises(MessageError, match="holds no mail"):
        list(parsing.iter_zip(io.BytesIO(out.getvalue())))
    with pytest.raises(MessageError, match="cannot be read"):
        list(parsing.iter_zip(io.BytesIO(b"PK\x03\x04 broken")))
