"""`copilot-train classifier ...` commands."""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from training.config import load_config

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    cl = sub.add_parser("classifier", help="fine-tune, export, evaluate the copilot classifier").add_subparsers(
        dest="classifier_command", required=True
    )
    for name, fn, help_ in (
        ("train", _train, "fine-tune and calibrate (writes the torch checkpoint)"),
        ("calibrate", _calibrate, "re-run temperature scaling and thresholds on dev for a trained checkpoint"),
        ("export", _export, "int8 ONNX + manifest into the model directory"),
        ("evaluate", _evaluate, "evaluation report and model card"),
        ("build", _build, "train, export and evaluate in one go"),
    ):
        p = cl.add_parser(name, help=help_)
        p.add_argument("--config", default="training/configs/classifier.toml")
        p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
        p.set_defaults(func=fn)


def _train(args) -> int:
    from training.classifier.train import train_classifier  # noqa: PLC0415

    train_classifier(load_config(args.config, args.set))
    return 0


def _calibrate(args) -> int:
    from training.classifier.train import recalibrate  # noqa: PLC0415

    recalibrate(load_config(args.config, args.set))
    return 0


def _export(args) -> int:
    from training.classifier.export_model import export_classifier  # noqa: PLC0415

    cfg = load_config(args.config, args.set)
    rep = export_classifier(Path(cfg["output"]["dir"]), Path(cfg["output"]["model_dir"]), cfg)
    log.info("exported: int8 %.1f MB", rep["int8_bytes"] / 1e6)
    return 0


def _evaluate(args) -> int:
    from training.classifier.card import write_card  # noqa: PLC0415
    from training.classifier.evaluate import evaluate  # noqa: PLC0415

    cfg = load_config(args.config, args.set)
    report = evaluate(cfg, fp32_ckpt=Path(cfg["output"]["dir"]))
    write_card(cfg, report)
    print(json.dumps(report["headline"], indent=2))
    return 0


def _build(args) -> int:
    """Train every stage of the chain (`then` names the next stage's config), export and evaluate the last."""
    from training.classifier.card import write_card  # noqa: PLC0415
    from training.classifier.evaluate import evaluate  # noqa: PLC0415
    from training.classifier.export_model import export_classifier  # noqa: PLC0415
    from training.classifier.train import train_classifier  # noqa: PLC0415

    cfg = load_config(args.config, args.set)
    while True:
        train_classifier(cfg)
        nxt = cfg.get("then", {}).get("config")
        if not nxt:
            break
        log.info("next stage: %s", nxt)
        cfg = load_config(nxt, args.set)
    export_classifier(Path(cfg["output"]["dir"]), Path(cfg["output"]["model_dir"]), cfg)
    report = evaluate(cfg, fp32_ckpt=Path(cfg["output"]["dir"]))
    write_card(cfg, report)
    print(json.dumps(report["headline"], indent=2))
    return 0
