from screening.settings import ENV_DATA_DIR, data_dir


def test_data_dir_is_the_configured_one_and_is_created(tmp_path, monkeypatch):
    target = tmp_path / "nested" / "data"
    monkeypatch.setenv(ENV_DATA_DIR, str(target))
    assert data_dir() == target and target.is_dir()


def test_tests_never_store_into_the_users_directory():
    assert "ruyuan-screening" not in str(data_dir())
