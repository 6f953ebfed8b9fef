"""A local stand-in for Amazon SMS Voice v2 (``pinpoint-sms-voice-v2``): AWS JSON 1.0 over HTTP.

    from localcloud.sms_voice import Emulator
    with Emulator(activation_delay=0.0) as emu:
        boto3.client("pinpoint-sms-voice-v2", endpoint_url=emu.endpoint_url)
        emu.control.seed_phone_number()

See docs/emulator.md for the control plane and for what is (and is not) emulated.
"""

from localcloud.sms_voice.control import ControlClient
from localcloud.sms_voice.server import Emulator
from localcloud.sms_voice.state import StateFileError

__all__ = ["ControlClient", "Emulator", "StateFileError"]
