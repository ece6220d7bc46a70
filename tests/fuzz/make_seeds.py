#!/usr/bin/env python3
"""Writes the seed corpora of tests/fuzz/corpus/ (README.md says what each harness reads).

    tests/fuzz/make_seeds.py            # rewrites corpus/{requests,gateway,plugin_output,...}

Protobuf seeds are written with `protoc --encode` from text format, against proto/. The names
they use are those fuzz_server.cc creates (it prints them: "fuzz world: ..."): chapters/fuzz,
its members 2 (organizer), 3 and 4, and its meeting.
"""
import os
import re
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PROTO = os.path.join(ROOT, "proto")
CORPUS = os.path.join(HERE, "corpus")

CHAPTER = "chapters/fuzz"
M1, M2, M3 = (CHAPTER + "/members/%d" % i for i in (2, 3, 4))
MEETING = CHAPTER + "/meetings/5"
# The principal byte of the requests harness (fuzz_server.h, World::TokenFor).
ADMIN, ORGANIZER, MEMBER, DISPLAY, MADE_UP, NONE = range(6)
SERVICES = ["ChapterService", "MemberService", "MeetingService", "ReferralService",
            "EventService", "ReportService", "PluginService", "InsightService"]


def encode(message, text):
    files = [os.path.relpath(p, PROTO) for p in
             (os.path.join(d, f) for d, _, fs in os.walk(PROTO) for f in fs)
             if p.endswith(".proto")]
    return subprocess.run(["protoc", "-I", PROTO, "--encode=" + message] + sorted(files),
                          input=text.encode(), capture_output=True, check=True).stdout


def unary_methods():
    """(service, method, request type) in the harness's order: descriptor order per service."""
    methods = []
    for service in SERVICES:
        path = os.path.join(PROTO, "reciproca/v1",
                            re.sub(r"(?<!^)(?=[A-Z])", "_", service).lower() + ".proto")
        text = open(path).read()
        body = re.search(r"service %s \{(.*?)\n\}" % service, text, re.S).group(1)
        for m in re.finditer(r"rpc (\w+)\((stream )?([\w.]+)\) returns \((stream )?", body):
            if not m.group(2) and not m.group(4):
                methods.append((service, m.group(1), m.group(3)))
    return methods


REQUESTS = {
    "CreateChapter": [(ADMIN, 'chapter_id: "seed" chapter { display_name: "Seed" meeting_weekday: '
                       'WEEKDAY_WEDNESDAY meeting_time: "07:30" time_zone: "Europe/Rome" '
                       'currency: "EUR" } request_id: "s1"')],
    "GetChapter": [(MEMBER, 'name: "%s"' % CHAPTER), (DISPLAY, 'name: "%s"' % CHAPTER)],
    "ListChapters": [(ADMIN, "page_size: 1"), (MEMBER, "")],
    "WhoAmI": [(ORGANIZER, ""), (NONE, "")],
    "UpdateChapter": [(ORGANIZER, 'chapter { name: "%s" display_name: "Fuzz Centro" '
                       'meeting_time: "08:00" } update_mask { paths: "display_name" paths: '
                       '"meeting_time" } request_id: "s2"' % CHAPTER)],
    "GetDisplayToken": [(ORGANIZER, 'name: "%s"' % CHAPTER)],
    "RotateDisplayToken": [(ORGANIZER, 'name: "%s" request_id: "s3"' % CHAPTER)],
    "CreateMember": [(ORGANIZER, 'parent: "%s" member { display_name: "Zoë Nuova" business: '
                      '"Nuova Srl" category: "Bakery" email: "zoe@example.org" phone: '
                      '"+39 06 1234567" } request_id: "s4"' % CHAPTER)],
    "GetMember": [(MEMBER, 'name: "%s"' % M1)],
    "ListMembers": [(MEMBER, 'parent: "%s" page_size: 2 show_left: true' % CHAPTER)],
    "UpdateMember": [(ORGANIZER, 'member { name: "%s" category: "Plumbing" role: ROLE_MEMBER } '
                      'update_mask { paths: "category" } request_id: "s5"' % M2)],
    "RemoveMember": [(ORGANIZER, 'name: "%s" request_id: "s6"' % M3)],
    "GetMemberToken": [(ORGANIZER, 'name: "%s"' % M2)],
    "ScheduleMeeting": [(ORGANIZER, 'parent: "%s" start_time { seconds: 1893456000 } '
                         'request_id: "s7"' % CHAPTER)],
    "GetMeeting": [(MEMBER, 'name: "%s"' % MEETING)],
    "ListMeetings": [(DISPLAY, 'parent: "%s" page_size: 1' % CHAPTER)],
    "OpenMeeting": [(ORGANIZER, 'name: "%s" request_id: "s8"' % MEETING)],
    "StartSegment": [(ORGANIZER, 'name: "%s" title: "Weekly presentations" countdown_seconds: 60 '
                      'speaker: "%s" request_id: "s9"' % (MEETING, M2))],
    "CheckIn": [(MEMBER, 'meeting: "%s" member: "%s" request_id: "s10"' % (MEETING, M2))],
    "RecordAttendance": [(ORGANIZER, 'meeting: "%s" member: "%s" status: '
                          'ATTENDANCE_STATUS_SUBSTITUTE substitute_name: "Luca" '
                          'request_id: "s11"' % (MEETING, M3))],
    "RegisterVisitor": [(ORGANIZER, 'meeting: "%s" visitor { display_name: "Vera Visitor" '
                         'business: "Vera Srl" invited_by: "%s" email: "vera@example.org" } '
                         'request_id: "s12"' % (MEETING, M2))],
    "InviteVisitor": [(MEMBER, 'parent: "%s" date: "2030-01-08" visitor { display_name: "Ida '
                       'Invitata" business: "Ida Srl" phone: "+39 333 7654321" } request_id: '
                       '"s12a"' % CHAPTER),
                      (ORGANIZER, 'parent: "%s" meeting: "%s" visitor { display_name: "Ugo" '
                       'business: "Ugo Snc" invited_by: "%s" } request_id: "s12b"'
                       % (CHAPTER, MEETING, M2))],
    "ListVisitors": [(MEMBER, 'parent: "%s" state: VISITOR_STATE_INVITED invited_by: "%s" '
                      'page_size: 2' % (CHAPTER, M2))],
    "MoveVisitor": [(ORGANIZER, 'name: "%s/visitors/12" state: VISITOR_STATE_JOINED note: '
                     '"Welcome" category: "Bakery" role: ROLE_MEMBER request_id: "s12c"'
                     % MEETING)],
    "CloseMeeting": [(ORGANIZER, 'name: "%s" request_id: "s13"' % MEETING)],
    "GiveReferral": [(MEMBER, 'parent: "%s" referral { receiver: "%s" kind: REFERRAL_KIND_OUTSIDE '
                      'contact_name: "Carla Cliente" contact_phone: "+39 333 1234567" '
                      'temperature: 4 note: "Needs a kitchen\\nby May" } request_id: "s14"'
                      % (CHAPTER, M3)),
                     (ORGANIZER, 'parent: "%s" referral { receiver: "%s" kind: '
                      'REFERRAL_KIND_INSIDE temperature: 2 } on_behalf_of: "%s" '
                      'request_id: "s15"' % (CHAPTER, M2, M3))],
    "UpdateReferralStatus": [(MEMBER, 'name: "%s/referrals/6" status: REFERRAL_STATUS_CONTACTED '
                              'request_id: "s16"' % CHAPTER)],
    "GetReferral": [(MEMBER, 'name: "%s/referrals/6"' % CHAPTER)],
    "ListReferrals": [(MEMBER, 'parent: "%s" page_size: 1 receiver: "%s" status: '
                       'REFERRAL_STATUS_GIVEN' % (CHAPTER, M3))],
    "RecordThankYou": [(MEMBER, 'parent: "%s" thank_you { to_member: "%s" amount { currency: '
                        '"EUR" amount: "1250.50" } business_type: BUSINESS_TYPE_NEW note: '
                        '"Grazie" } request_id: "s17"' % (CHAPTER, M3))],
    "RecordOneToOne": [(MEMBER, 'parent: "%s" one_to_one { with_member: "%s" date: "2026-11-30" '
                        'note: "Coffee" } request_id: "s18"' % (CHAPTER, M3))],
    "RecordEducation": [(MEMBER, 'parent: "%s" education { credits: 2 note: "Webinar" } '
                         'request_id: "s19"' % CHAPTER)],
    "RecordTestimonial": [(MEMBER, 'parent: "%s" testimonial { for_member: "%s" text: "Great '
                           'work,\\nthank you" } request_id: "s20"' % (CHAPTER, M3))],
    "GetPalmsReport": [(ORGANIZER, 'chapter: "%s" start_time { seconds: 1700000000 } end_time { '
                        'seconds: 1900000000 }' % CHAPTER)],
    "ListPlugins": [(ADMIN, "")],
    "LoadPlugin": [(ADMIN, 'name: "x" path: "/nonexistent/x.so" config_json: "{}"')],
    "UnloadPlugin": [(ADMIN, 'name: "x"')],
    "ReloadPlugin": [(ADMIN, 'name: "x" config_json: "{\\"a\\": 1}"')],
    "EnablePlugin": [(ORGANIZER, 'name: "x" chapter: "%s" config_json: "{\\"a\\": 2}" '
                      'request_id: "s21"' % CHAPTER)],
    "DisablePlugin": [(ORGANIZER, 'name: "x" chapter: "%s" request_id: "s22"' % CHAPTER)],
    "GetScores": [(MEMBER, 'chapter: "%s" window: "6m" member: "%s"' % (CHAPTER, M2))],
    "GetLeaderboard": [(DISPLAY, 'chapter: "%s" board: "referrals_given" window: "30d" limit: 3'
                        % CHAPTER)],
    "ListReminders": [(MEMBER, 'chapter: "%s" member: "%s"' % (CHAPTER, M2))],
    "ListRelationships": [(MEMBER, 'chapter: "%s" member: "%s"' % (CHAPTER, M2))],
}

HTTP = [
    "POST /api/reciproca.v1.ChapterService/WhoAmI HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
    "@MEMBER@\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
    "POST /api/reciproca.v1.ReferralService/GiveReferral HTTP/1.1\r\nHost: x\r\nAuthorization: "
    "Bearer @MEMBER@\r\nContent-Length: %d\r\n\r\n%s",
    "POST /api/reciproca.v1.MemberService/ListMembers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
    "@DISPLAY@\r\nContent-Length: %d\r\n\r\n%s",
    "POST /api/reciproca.v1.ChapterService/UpdateChapter HTTP/1.1\r\nHost: x\r\nAuthorization: "
    "Bearer @ORGANIZER@\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n",
    "GET /api/events?chapter=chapters%%2Ffuzz&after_seq=2 HTTP/1.1\r\nHost: x\r\nAuthorization: "
    "Bearer @DISPLAY@\r\nLast-Event-ID: 3\r\nAccept: text/event-stream\r\n\r\n",
    "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /metrics HTTP/1.1\r\nHost: x\r\n\r\n",
    "GET /display/ HTTP/1.1\r\nHost: x\r\nAccept-Language: it-IT, en;q=0.8\r\n\r\n",
    "GET /app/index.html?x=1 HTTP/1.0\r\n\r\n",
    "POST /api/reciproca.v1.NoService/Nothing HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n{x}",
    "POST /api/reciproca.v1.EventService/Subscribe HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
    "@ADMIN@\r\nContent-Length: 2\r\n\r\n{}",
    "OPTIONS * HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n",
]
JSON_BODIES = [
    '{"parent": "chapters/fuzz", "referral": {"receiver": "%s", "kind": "REFERRAL_KIND_INSIDE", '
    '"temperature": 3}, "requestId": "h1"}' % M3,
    '{"parent": "chapters/fuzz", "pageSize": 1, "showLeft": true}',
    '{"chapter": {"name": "chapters/fuzz", "displayName": "Fuzz \\u00e9"}, "updateMask": '
    '"displayName", "requestId": "h2"}',
]


def write(harness, name, data):
    os.makedirs(os.path.join(CORPUS, harness), exist_ok=True)
    with open(os.path.join(CORPUS, harness, name), "wb") as f:
        f.write(data)


def frame(payload):
    return struct.pack("<I", len(payload)) + payload


def main():
    methods = unary_methods()
    missing = {m for _, m, _ in methods} - set(REQUESTS)
    if missing:
        sys.exit("make_seeds.py: no seed for %s" % ", ".join(sorted(missing)))
    for index, (service, method, request_type) in enumerate(methods):
        for n, (principal, text) in enumerate(REQUESTS[method]):
            body = encode("reciproca.v1." + request_type.split(".")[-1]
                          if "." not in request_type else request_type, text)
            write("requests", "%s-%d" % (method, n), bytes([index, principal]) + body)

    for n, template in enumerate(HTTP):
        if template.count("%") - 2 * template.count("%%") >= 1:
            body = JSON_BODIES[min(n - 1, len(JSON_BODIES) - 1)]
            text = template % ((len(body), body) if "%d" in template else (len(body), body))
        else:
            text = template.replace("%%", "%")
        write("gateway", "request-%d" % n, text.encode())

    outputs = [
        'chapter: "%s" key: "band:%s:6m:amber" score_change { member: "%s" window: "6m" points: '
        '40 max_points: 100 band: "amber" previous_band: "green" }' % (CHAPTER, M2, M2),
        'chapter: "%s" key: "reminder:1" reminder { id: "reminder:1" member: "%s" kind: '
        '"one_sided" text: "Ada gave you 4 referrals" about: "%s" create_time { seconds: '
        '1796106600 } }' % (CHAPTER, M2, M3),
        'chapter: "chapters/other" key: "k" reminder { member: "%s" text: "t" }' % M2,
    ]
    encoded = [encode("reciproca.plugin.v1.Output", o) for o in outputs]
    answers = [
        'scores { window: "6m" scores { member: "%s" display_name: "Mario" points: 40 '
        'max_points: 100 band: "amber" } }' % M2,
        'leaderboard { board: "referrals_given" window: "30d" }',
        'reminders { reminders { id: "r" member: "%s" kind: "k" text: "t" } }' % M2,
        'relationships { }',
    ]
    # Mode byte: 0 tick, 1 committed event, 2 query; the second byte picks the query (and the
    # caller: its bits from 2 up, as World::TokenFor).
    write("plugin_output", "tick-score", bytes([0, 0]) + frame(encoded[0]))
    write("plugin_output", "event-two", bytes([1, 0]) + frame(encoded[0]) + frame(encoded[1]))
    write("plugin_output", "event-other-chapter", bytes([1, 0]) + frame(encoded[2]))
    for n, answer in enumerate(answers):
        write("plugin_output", "query-%d" % n,
              bytes([2, n | (MEMBER << 2)]) +
              frame(encode("reciproca.plugin.v1.QueryAnswer", answer)))

    # validators: selector byte (fuzz_validators.cc), then the value.
    for n, (selector, value) in enumerate([
            (0, "Zoë Nuova"), (1, "Line one\r\nline two\twith tab"), (2, "\x1b[31mred"),
            (3, "ana@example.org"), (3, "+39 (06) 123-4567"), (4, "07:30"), (4, "2026-02-29"),
            (5, "America/Argentina/Buenos_Aires"), (6, "EUR"), (6, "1250.50"),
            (7, "rome-centro"), (8 | 0x10, "chapters/fuzz/meetings/5"),
            (8, "chapters/fuzz/members/3"), (9, "chapters/a/members/9chapters/a/members/10"),
            (10, "  \u00a0trim\u3000 "), (11, "e\u0301\u200b"), (0, "\u2003\ufeff")]):
        write("validators", "seed-%d" % n, bytes([selector]) + value.encode())

    # http_request: selector byte (fuzz_http_request.cc), then the value.
    for n, (selector, value) in enumerate([
            (0, "Bearer rcp_m_0123abcdef"), (0, "Bearer \xe9"), (1, "/api/events"),
            (1, "/api/reciproca.v1.ChapterService/WhoAmI"), (1, "/display/app.js"),
            (2, "chapter=chapters%2Ffuzz&after_seq=1+2"), (3, "9223372036854775807"),
            (4, "chapter=chapters/fuzz&after_seq=4\n7"), (4, "after_seq=-1")]):
        write("http_request", "seed-%d" % n, bytes([selector]) + value.encode())


if __name__ == "__main__":
    main()
