"""Reads a TensorBoard event file with TensorBoard's own reader and prints what it holds as JSON:
scalars (tag -> [[step, value], ...]), histograms (tag -> [[step, num, min, max, bucket count], ...]),
text (tag -> [[step, text], ...]), images (tag -> [[step, width, height, bytes]]), and the hparams records."""
import json
import sys

from tensorboard.backend.event_processing import event_file_loader
from tensorboard.plugins.hparams import plugin_data_pb2


def main(path):
    out = {"scalars": {}, "histograms": {}, "text": {}, "images": {}, "hparams": {}, "file_version": None}
    for event in event_file_loader.LegacyEventFileLoader(path).Load():
        if event.HasField("file_version"):
            out["file_version"] = event.file_version
        for v in event.summary.value:
            plugin = v.metadata.plugin_data.plugin_name
            kind = v.WhichOneof("value")
            if plugin == "hparams":
                data = plugin_data_pb2.HParamsPluginData.FromString(v.metadata.plugin_data.content)
                which = data.WhichOneof("data")
                if which == "experiment":
                    out["hparams"]["experiment"] = {
                        "hparams": [h.name for h in data.experiment.hparam_infos],
                        "metrics": [m.name.tag for m in data.experiment.metric_infos]}
                elif which == "session_start_info":
                    out["hparams"]["session_start"] = {
                        k: (val.number_value if val.HasField("number_value") else
                            val.bool_value if val.HasField("bool_value") else val.string_value)
                        for k, val in data.session_start_info.hparams.items()}
                elif which == "session_end_info":
                    out["hparams"]["session_end"] = data.session_end_info.status
            elif kind == "simple_value":
                out["scalars"].setdefault(v.tag, []).append([event.step, v.simple_value])
            elif kind == "histo":
                h = v.histo
                out["histograms"].setdefault(v.tag, []).append([event.step, h.num, h.min, h.max, len(h.bucket)])
            elif plugin == "text":
                out["text"].setdefault(v.tag, []).append([event.step, v.tensor.string_val[0].decode("utf-8")])
            elif kind == "image":
                out["images"].setdefault(v.tag, []).append([event.step, v.image.width, v.image.height,
                                                            len(v.image.encoded_image_string)])
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
