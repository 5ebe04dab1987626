"""/dev/sms shows the console gateway's messages from every worker process:
they are kept in the portal's database, not in one process's memory."""

from portal import create_app
from tests.accounts.conftest import CODE, ask_for_code
from tests.conftest import PageCheckingClient, make_test_config


def test_a_code_sent_by_one_worker_shows_on_every_worker(tmp_path):
    config = make_test_config(tmp_path, PORTAL_ENV="development")
    workers = [create_app(config) for _ in range(3)]  # three gunicorn workers, one database
    for worker in workers:
        worker.test_client_class = PageCheckingClient
    assert ask_for_code(workers[0].test_client(), "012 345 678").status_code == 302
    pages = [worker.test_client().get("/dev/sms?lang=en") for worker in workers]
    codes = [CODE.findall(page.get_data(as_text=True)) for page in pages]
    assert all(page.status_code == 200 for page in pages)
    assert codes[0] and codes[0] == codes[1] == codes[2]


def test_only_the_newest_messages_are_kept(tmp_path):
    app = create_app(make_test_config(tmp_path, PORTAL_ENV="development"))
    gateway = app.extensions["sms_gateway"]
    with app.app_context():
        for number in range(60):
            gateway.send("+85512345678", f"message {number}")
        kept = gateway.messages()
    assert len(kept) == 50
    assert kept[0].text == "message 59" and kept[-1].text == "message 10"
