"""Cold start: crhelper's polling clients are not built, and crhelper answers exactly as before."""

from __future__ import annotations

import boto3
import crhelper.resource_helper
import index

from tests.provider.conftest import Provider


def test_crhelper_polling_clients_are_built_only_on_first_use(provider: Provider) -> None:
    phone = provider.control.seed_phone_number()

    answer = provider.create({"OriginationIdentities": [phone["PhoneNumberId"]]})

    assert answer["Status"] == "SUCCESS", answer["Reason"]
    # crhelper's module uses the real boto3 again once CfnResource is built.
    assert crhelper.resource_helper.boto3 is boto3
    for name in ("_lambda_client", "_events_client", "_logs_client"):
        lazy = getattr(index.helper, name)
        assert lazy._client is None, f"{name} was built"
    # Used (only crhelper's polling would), the client is the real one, built then.
    logs = index.helper._logs_client
    assert logs.meta.service_model.service_name == "logs"
    assert logs._client is not None
    logs._client = None
