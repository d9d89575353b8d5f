"""The dashboard and JSON API served by `cablegram serve`."""
