"""How long "forgot password" takes to answer for an address with an account and without one.

    python bench/password_reset.py                 # 300 pairs of requests, SQLite
    python bench/password_reset.py --requests 1000 --database-url postgresql+psycopg://...

The answer must not tell whether an account exists, in its time either: the account is looked up,
and its link made and mailed, by the mail worker after the answer. The two figures come from
alternating requests in one run (the unknown address is the baseline); they should match within
noise. Mail goes to a port where nothing listens (the worker's failures are not part of the
request). The database is emptied and filled with one account.
"""

import argparse
import logging
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="pairs of requests")
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    args = parser.parse_args()
    logging.disable(logging.ERROR)  # the worker's "not sent" lines

    from wsapp import create_app
    from wsapp.extensions import db
    from wsapp.models import User
    from wsapp.services import accounts, mail

    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    app = create_app({
        "SECRET_KEY": "bench", "DATABASE_URL": url, "SERVER_NAME": "bench.test",
        "MAIL_URL": "smtp://127.0.0.1:9", "MAIL_FROM": "Bench <bench@bench.test>",
        "MAIL_RETRY_SECONDS": [],
        "PASSWORD_RESET_LIMIT_PER_IP": "1000000 per minute",
        "PASSWORD_RESET_LIMIT_PER_ACCOUNT": "1000000 per minute",
    })  # fmt: skip
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.session.add(
            User(email="ada@example.org", password_hash=accounts.hash_password("x" * 12))
        )
        db.session.commit()
    client = app.test_client()
    page = client.get("/password/forgot").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    times: dict[str, list[float]] = {"with an account": [], "without (baseline)": []}
    for number in range(args.requests + 20):
        for label, email in zip(times, ("ada@example.org", "nobody@example.org"), strict=True):
            started = time.perf_counter()
            response = client.post("/password/forgot", data={"email": email, "csrf_token": token})
            elapsed = time.perf_counter() - started
            assert response.status_code == 303, response.status_code
            if number >= 20:  # warm-up
                times[label].append(elapsed * 1000)
    with app.app_context():
        mail.wait(120)
    print(f"POST /password/forgot, {args.requests} requests each, {url.split(':')[0]}")
    for label, values in times.items():
        values.sort()
        p90 = values[int(len(values) * 0.9)]
        print(f"  {label:<20} median {statistics.median(values):6.2f} ms   p90 {p90:6.2f} ms")
    known, unknown = (statistics.median(v) for v in times.values())
    print(f"  difference of the medians: {known - unknown:+.2f} ms")


if __name__ == "__main__":
    main()
