"""The offline local cloud: an SMS Voice v2 emulator plus the glue that runs the CDK app on it."""
